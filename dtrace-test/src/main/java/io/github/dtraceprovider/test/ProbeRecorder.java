package io.github.dtraceprovider.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.core.internal.OpenProviders;
import io.github.dtraceprovider.core.internal.backend.EncodedArguments;
import io.github.dtraceprovider.core.internal.recording.FireListener;
import io.github.dtraceprovider.core.internal.recording.Recorders;

/**
 * Records the fires of a provider's probes in a test, with the values a tracer would read, without a tracer, without
 * root, and also where providers are inert (another operating system or architecture):
 *
 * <pre>{@code
 * try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
 *     placeOrder();
 *     ProbeRecorder.Fire placed = recorder.fires("order-placed").get(0);
 *     assertThat(placed.args()).containsExactly(42L, "alice");
 * }
 * }</pre>
 *
 * <p>While attached, every probe of the recorded providers, probes added meanwhile included, is enabled, so that
 * suppliers run; after {@link #close()} each is enabled again only if a tracer is attached. A real tracer attached
 * meanwhile still sees every fire. Several recorders may record one provider: each gets every fire.
 *
 * <p>Values are read back from the very bytes that go to the native probe: an {@code int} argument is a {@link Long}
 * after coercion, a {@code char *} or {@code json} argument a {@link String} as encoded (UTF-8, at most 4095 bytes,
 * ending at a NUL character) or null. A fire whose supplier threw or returned null is not recorded: a tracer sees
 * nothing either. Methods are thread-safe; fires from any thread are recorded in the order they happened.
 */
public final class ProbeRecorder implements AutoCloseable {

    /** Fires listed in a failure message, the most recent ones. */
    private static final int FIRES_DESCRIBED = 20;

    private final List<DTraceProvider> providers;
    /** The providers' recorders, kept so that close() detaches from a provider closed meanwhile. */
    private final List<Recorders<Probe>> recorders;
    private final FireListener<Probe> listener = this::record;
    /** Guarded by itself; waiters in {@link #awaitFires} wait on it. */
    private final List<Fire> fires = new ArrayList<>();
    private volatile boolean closed;

    /**
     * One fire: the probe, its arguments as a tracer reads them, and the name of the thread that fired it.
     *
     * @param args one value per declared argument: Long, or String (or null) for {@code char *} and {@code json}
     */
    public record Fire(Probe probe, List<Object> args, String thread) {

        /** The probe's name as declared ({@code order-placed}). */
        public String name() {
            return probe.name();
        }

        /** The probe's name as tracers know it ({@code order__placed}). */
        public String noteName() {
            return probe.noteName();
        }

        /** The name of the probe's provider. */
        public String provider() {
            return probe.provider().name();
        }

        /** The value of argument {@code index} (from 0). */
        public Object arg(int index) {
            return args.get(index);
        }

        /**
         * The value of the argument declared with this name ({@code "int orderId"} is {@code orderId}).
         *
         * @throws IllegalArgumentException naming the probe's arguments if it has none of this name
         */
        public Object arg(String name) {
            int index = probe.argNames().indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException("Probe \"" + probe.name() + "\" has no argument \"" + name
                        + "\"; its arguments are " + probe.argNames());
            }
            return args.get(index);
        }

        @Override
        public String toString() {
            return provider() + ":" + name() + args.stream().map(Fire::describe)
                    .collect(Collectors.joining(", ", "(", ")")) + " on thread \"" + thread + "\"";
        }

        private static String describe(Object value) {
            return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        }
    }

    private ProbeRecorder(List<DTraceProvider> providers, List<Recorders<Probe>> recorders) {
        this.providers = providers;
        this.recorders = recorders;
    }

    /** Starts recording the fires of every probe of {@code providers}. */
    public static ProbeRecorder attach(DTraceProvider... providers) {
        Objects.requireNonNull(providers, "providers");
        return attach(List.of(providers));
    }

    /**
     * Starts recording the fires of every probe of {@code providers}.
     *
     * @throws IllegalArgumentException if there is no provider to record
     * @throws IllegalStateException if one of them is closed
     */
    public static ProbeRecorder attach(Collection<DTraceProvider> providers) {
        List<DTraceProvider> recorded = List.copyOf(providers);
        if (recorded.isEmpty()) {
            throw new IllegalArgumentException("ProbeRecorder.attach needs at least one DTraceProvider");
        }
        ProbeRecorder recorder = new ProbeRecorder(recorded,
                recorded.stream().map(ProbeRecorder::recordersOf).toList());
        recorder.recorders.forEach(providerRecorders -> providerRecorders.attach(recorder.listener));
        return recorder;
    }

    /** Every fire recorded since attach or the last {@link #clear()}, in the order they happened. */
    public List<Fire> fires() {
        synchronized (fires) {
            return List.copyOf(fires);
        }
    }

    /**
     * The recorded fires of one probe, named in either spelling ({@code order-placed} or {@code order__placed}).
     *
     * @throws IllegalArgumentException naming the known probes if no recorded provider has such a probe, so that a
     *     misspelt name fails instead of finding nothing
     */
    public List<Fire> fires(String probe) {
        String noteName = noteNameOf(probe);
        return fires().stream().filter(fire -> fire.noteName().equals(noteName)).toList();
    }

    /**
     * Waits until {@code probe} (either spelling) has fired at least {@code count} times, and returns its fires. For
     * fires that happen on another thread, such as the HTTP probes, which fire once the response has been written.
     *
     * @throws AssertionError listing what was recorded if they do not come within {@code timeout}
     */
    public List<Fire> awaitFires(String probe, int count, Duration timeout) {
        String noteName = noteNameOf(probe);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (fires) {
            while (true) {
                List<Fire> found = fires.stream().filter(fire -> fire.noteName().equals(noteName)).toList();
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Expected " + count + " fire(s) of probe \"" + probe + "\" within "
                            + timeout + " but " + found.size() + " came; " + describe(fires));
                }
                try {
                    fires.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted waiting for fires of probe \"" + probe + "\"", e);
                }
            }
        }
    }

    /** Forgets the fires recorded so far; recording goes on. */
    public void clear() {
        synchronized (fires) {
            fires.clear();
        }
    }

    /** Stops recording; the fires recorded stay readable. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        recorders.forEach(providerRecorders -> providerRecorders.detach(listener));
    }

    @Override
    public String toString() {
        return "ProbeRecorder of " + providers.stream().map(DTraceProvider::name).collect(Collectors.joining(", "))
                + (closed ? " (closed)" : "") + ": " + fires().size() + " fire(s)";
    }

    /** A provider's recorders are those of its probes, whose type core.internal only hands on. */
    @SuppressWarnings("unchecked")
    private static Recorders<Probe> recordersOf(DTraceProvider provider) {
        return (Recorders<Probe>) OpenProviders.recordersOf(provider, provider.name());
    }

    /** The {@link FireListener}: runs on the firing thread, for each traced fire of a recorded provider. */
    private void record(Probe probe, EncodedArguments arguments) {
        if (closed) {
            // a fire that began before close() saw this recorder still attached
            return;
        }
        Fire fire = new Fire(probe, ArgumentBlockReader.read(arguments, probe.argTypes()),
                Thread.currentThread().getName());
        synchronized (fires) {
            fires.add(fire);
            fires.notifyAll();
        }
    }

    private String noteNameOf(String probe) {
        Objects.requireNonNull(probe, "probe name");
        for (DTraceProvider provider : providers) {
            if (provider.findProbe(probe).isPresent()) {
                return Probe.noteNameOf(probe);
            }
        }
        throw new IllegalArgumentException("No probe \"" + probe + "\" in " + providers.stream()
                .map(provider -> "provider \"" + provider.name() + "\" (probes: " + provider.probes().stream()
                        .map(Probe::name).collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining(" or ")));
    }

    /** Guarded by the caller's lock on {@code recorded}. */
    private static String describe(List<Fire> recorded) {
        if (recorded.isEmpty()) {
            return "nothing was recorded";
        }
        int from = Math.max(0, recorded.size() - FIRES_DESCRIBED);
        return "recorded " + recorded.size() + " fire(s)" + (from > 0 ? ", the last " + FIRES_DESCRIBED : "") + ":\n  "
                + recorded.subList(from, recorded.size()).stream().map(Fire::toString)
                        .collect(Collectors.joining("\n  "));
    }
}
