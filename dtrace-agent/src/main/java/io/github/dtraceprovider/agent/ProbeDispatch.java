package io.github.dtraceprovider.agent;

import java.util.Arrays;

import io.github.dtraceprovider.core.Probe;

/**
 * What woven code calls: public, since it runs in the probed class. Each added probe has a slot, set before its
 * advice is woven in and never reused, so a slot read by woven code is always there.
 */
public final class ProbeDispatch {

    /** An added probe, and for each of its arguments the method argument it reads and whether it is a number. */
    record Slot(Probe probe, int[] argumentIndexes, boolean[] numbers) {
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
        Slot slot = slots[index];
        slot.probe().fire(() -> {
            Object[] values = new Object[slot.argumentIndexes().length];
            for (int i = 0; i < values.length; i++) {
                Object argument = arguments[slot.argumentIndexes()[i]];
                values[i] = slot.numbers()[i] ? ((Number) argument).longValue() : String.valueOf(argument);
            }
            return values;
        });
    }
}
