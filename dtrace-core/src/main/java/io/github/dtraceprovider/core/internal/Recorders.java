package io.github.dtraceprovider.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.github.dtraceprovider.core.DTraceProvider;

/**
 * The {@link FireListener}s attached to one provider (dtrace-test's recorders), and its probes' part in them
 * ({@link RecordedProbe}). While any is attached, every probe of the provider, probes added meanwhile included, is
 * enabled, and each traced fire goes to every listener as well as to the backend; once the last one is detached,
 * each probe reads again the semaphore its backend last gave it.
 */
public final class Recorders {

    private static final FireListener[] NONE = new FireListener[0];
    /** How {@link #of} reaches a provider's recorders; set once by DTraceProvider's static initializer. */
    private static volatile Function<DTraceProvider, Recorders> access;

    /** Guarded by this. */
    private final List<RecordedProbe> probes = new ArrayList<>();
    /** Guarded by this; replaced, never changed, since each probe reads it while firing. */
    private FireListener[] listeners = NONE;

    /** Called by DTraceProvider only, before any provider exists; a second call fails. */
    public static synchronized void setAccess(Function<DTraceProvider, Recorders> providerRecorders) {
        if (access != null) {
            throw new IllegalStateException("The access to providers' recorders is set already");
        }
        access = providerRecorders;
    }

    /** The recorders of {@code provider}. */
    public static Recorders of(DTraceProvider provider) {
        return access.apply(provider);
    }

    /** Makes {@code probe}, just defined, take part; it reads through {@code probe}'s {@link RecordedProbe}. */
    public synchronized void add(RecordedProbe probe) {
        probe.listen(listeners);
        probes.add(probe);
    }

    /** From now on every probe of the provider is enabled and {@code listener} receives its fires. */
    public synchronized void attach(FireListener listener) {
        FireListener[] updated = Arrays.copyOf(listeners, listeners.length + 1);
        updated[listeners.length] = listener;
        set(updated);
    }

    /** Undoes {@link #attach}; detaching a listener that is not attached does nothing. */
    public synchronized void detach(FireListener listener) {
        List<FireListener> remaining = new ArrayList<>(Arrays.asList(listeners));
        if (remaining.remove(listener)) {
            set(remaining.toArray(NONE));
        }
    }

    private void set(FireListener[] updated) {
        listeners = updated;
        for (RecordedProbe probe : probes) {
            probe.listen(updated);
        }
    }
}
