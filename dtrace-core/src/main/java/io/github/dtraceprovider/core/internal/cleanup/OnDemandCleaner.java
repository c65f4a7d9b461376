package io.github.dtraceprovider.core.internal.cleanup;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;

/**
 * A {@link Cleaner} held only while an action registered with it is pending: when the last pending action has run it
 * is let go of, and its thread ends at a later garbage collection. A static {@code Cleaner} would keep a thread for as
 * long as the class stays loaded, one per copy of this library, so every redeploy of an application that bundles the
 * library would leave one behind. Until the collector takes a cleaner that was let go of, a new registration uses it
 * again, so registrations that come and go one at a time never start a thread each.
 *
 * <p>Used by the starter too (its abandoned asynchronous results), hence public; not API.
 */
public final class OnDemandCleaner {

    /** Guarded by this; null while no action is pending. */
    private Cleaner cleaner;
    /** Guarded by this: the cleaner last let go of, until it is collected. */
    private WeakReference<Cleaner> released = new WeakReference<>(null);
    /** Guarded by this. */
    private long pending;

    /**
     * Like {@link Cleaner#register}; {@code action} runs once, when {@code object} is unreachable or when the returned
     * cleanable is cleaned, whichever comes first.
     */
    public synchronized Cleaner.Cleanable register(Object object, Runnable action) {
        if (cleaner == null) {
            cleaner = released.get();
        }
        if (cleaner == null) {
            cleaner = Cleaner.create();
        }
        pending++;
        return cleaner.register(object, () -> {
            try {
                action.run();
            } finally {
                ran();
            }
        });
    }

    private synchronized void ran() {
        if (--pending == 0) {
            released = new WeakReference<>(cleaner);
            cleaner = null;
        }
    }
}
