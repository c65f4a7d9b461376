package io.github.dtraceprovider.core.internal.recording;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link FireListener}s attached to one provider (dtrace-test's recorders), and its probes' part in them
 * ({@link RecordedProbe}). While any is attached, every probe of the provider, probes added meanwhile included, is
 * enabled, and each traced fire goes to every listener as well as to the backend; once the last one is detached,
 * each probe reads again the semaphore its backend last gave it. A provider's recorders are found through
 * {@code OpenProviders.recordersOf}. {@code P} is the API's probe type, which this package only hands on.
 */
public final class Recorders<P> {

    private static final FireListener<?>[] NONE = new FireListener<?>[0];

    /** Guarded by this. */
    private final List<RecordedProbe<P>> probes = new ArrayList<>();
    /** Guarded by this; replaced, never changed, since each probe reads it while firing. */
    private FireListener<P>[] listeners = none();

    /** No listeners: the array is empty, so its element type does not matter. */
    @SuppressWarnings("unchecked")
    static <P> FireListener<P>[] none() {
        return (FireListener<P>[]) NONE;
    }

    /** Makes {@code probe}, just defined, take part. */
    public synchronized void add(RecordedProbe<P> probe) {
        probe.listen(listeners);
        probes.add(probe);
    }

    /** From now on every probe of the provider is enabled and {@code listener} receives its fires. */
    public synchronized void attach(FireListener<P> listener) {
        FireListener<P>[] updated = Arrays.copyOf(listeners, listeners.length + 1);
        updated[listeners.length] = listener;
        set(updated);
    }

    /** Undoes {@link #attach}; detaching a listener that is not attached does nothing. */
    public synchronized void detach(FireListener<P> listener) {
        List<FireListener<P>> remaining = new ArrayList<>(Arrays.asList(listeners));
        if (remaining.remove(listener)) {
            set(remaining.toArray(none()));
        }
    }

    private void set(FireListener<P>[] updated) {
        listeners = updated;
        for (RecordedProbe<P> probe : probes) {
            probe.listen(updated);
        }
    }
}
