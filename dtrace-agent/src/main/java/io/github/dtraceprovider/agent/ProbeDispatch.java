package io.github.dtraceprovider.agent;

import java.util.Arrays;
import java.util.List;

import io.github.dtraceprovider.core.Probe;

/**
 * What woven code calls: public, since it runs in the probed class. Each added probe has a slot, set before its
 * advice is woven in and never reused, so a slot read by woven code is always there.
 */
public final class ProbeDispatch {

    /** An added probe, its argument expressions, and for each whether it is passed as a number. */
    record Slot(Probe probe, List<ArgumentExpression> expressions, boolean[] numbers) {
    }

    private static volatile Slot[] slots = new Slot[0];

    private ProbeDispatch() {
    }

    static synchronized int add(Slot slot) {
        Slot[] grown = Arrays.copyOf(slots, slots.length + 1);
        grown[slots.length] = slot;
        slots = grown;
        return slots.length - 1;
    }

    public static boolean isTraced(int index) {
        return slots[index].probe().isEnabled();
    }

    /** Never throws into the probed method: {@link Probe#fire} counts a failing supplier. */
    public static void fire(int index, Object[] arguments) {
        fireAtReturn(index, arguments, null, null, 0);
    }

    public static void fireAtReturn(int index, Object[] arguments, Object returned, Throwable thrown,
            long elapsedNanos) {
        Slot slot = slots[index];
        slot.probe().fire(() -> {
            Object[] values = new Object[slot.expressions().size()];
            for (int i = 0; i < values.length; i++) {
                Object value;
                try {
                    value = slot.expressions().get(i).value(arguments, returned, thrown, elapsedNanos);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(slot.expressions().get(i).text() + ": " + e, e);
                }
                values[i] = slot.numbers()[i] ? ((Number) value).longValue() : String.valueOf(value);
            }
            return values;
        });
    }
}
