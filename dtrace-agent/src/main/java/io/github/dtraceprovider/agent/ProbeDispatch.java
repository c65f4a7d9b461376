package io.github.dtraceprovider.agent;

import java.util.Arrays;

/**
 * What woven code calls. It sits at the agent jar's root, on the system class path, where the probed classes' loaders
 * find it; what each probe does lives behind {@link Slot}, in the agent's own class loader. Each added probe has a
 * slot, set before its advice is woven in and never reused, so a slot that woven code reads is always there.
 */
public final class ProbeDispatch {

    /** One added probe, as woven code sees it. Never throws. */
    public interface Slot {

        boolean isTraced();

        void fire(Object[] arguments, Object returned, Throwable thrown, long elapsedNanos);
    }

    /** Where a removed probe was: woven code that is still running when it goes finds it untraced. */
    private static final Slot REMOVED = new Slot() {

        @Override
        public boolean isTraced() {
            return false;
        }

        @Override
        public void fire(Object[] arguments, Object returned, Throwable thrown, long elapsedNanos) {
        }
    };

    private static volatile Slot[] slots = new Slot[0];

    private ProbeDispatch() {
    }

    public static synchronized int add(Slot slot) {
        Slot[] grown = Arrays.copyOf(slots, slots.length + 1);
        grown[slots.length] = slot;
        slots = grown;
        return slots.length - 1;
    }

    /** Lets the probe, its expressions and its provider be collected once its code is restored. */
    public static synchronized void remove(int index) {
        Slot[] copy = slots.clone();
        copy[index] = REMOVED;
        slots = copy;
    }

    public static boolean isTraced(int index) {
        return slots[index].isTraced();
    }

    public static void fire(int index, Object[] arguments) {
        slots[index].fire(arguments, null, null, 0);
    }

    public static void fireAtReturn(int index, Object[] arguments, Object returned, Throwable thrown,
            long elapsedNanos) {
        slots[index].fire(arguments, returned, thrown, elapsedNanos);
    }
}
