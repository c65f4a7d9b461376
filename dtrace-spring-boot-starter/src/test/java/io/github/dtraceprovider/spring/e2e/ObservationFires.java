package io.github.dtraceprovider.spring.e2e;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.pause;
import static org.assertj.core.api.Assertions.fail;

/**
 * bpftrace attached to one of this JVM's observation probes, its lines read back as fires: for what a recorder cannot
 * do, tracing one probe and not the other. Each probe has two clauses, the second for the tags (and a stop's error),
 * so that no printf holds more strings than bpftrace 0.17 fits on its BPF stack with strings long enough for an HTTP
 * client's tags.
 */
final class ObservationFires implements AutoCloseable {

    /**
     * One fire of observation-start or observation-stop, with its second line ({@code durationNanos} -1 and
     * {@code error} empty for a start).
     */
    record Fire(String probe, long id, String name, String contextualName, String tags,
            long durationNanos, String error) {
    }

    private static final String START = """
            usdt::%1$s:observation__start { printf("start|%%ld|%%s|%%s\\n", arg0, str(arg1), str(arg2)); }
            usdt::%1$s:observation__start { printf("start-tags|%%ld|%%s\\n", arg0, str(arg3)); }
            """;
    private static final String STOP = """
            usdt::%1$s:observation__stop { printf("stop|%%ld|%%s|%%s|%%ld\\n", arg0, str(arg1), str(arg2), arg4); }
            usdt::%1$s:observation__stop { printf("stop-tags|%%ld|%%s|%%s\\n", arg0, str(arg3), str(arg5)); }
            """;

    /** The name of the observations that check whether bpftrace is attached. */
    static final String ATTACH_CHECK = "test.attach-check";

    private final Bpftrace bpftrace;

    private ObservationFires(Bpftrace bpftrace) {
        this.bpftrace = bpftrace;
    }

    /** Only observation-start traced. */
    static ObservationFires attachToStart(DTraceProvider provider, ObservationRegistry registry) {
        return attach(provider, registry, START, "start");
    }

    /** Only observation-stop traced. */
    static ObservationFires attachToStop(DTraceProvider provider, ObservationRegistry registry) {
        return attach(provider, registry, STOP, "stop");
    }

    /**
     * Attaches bpftrace and observes {@link #ATTACH_CHECK} until each of {@code probes} printed both its lines:
     * bpftrace attaches its clauses one by one, so a traced probe may not yet have both.
     */
    private static ObservationFires attach(DTraceProvider provider, ObservationRegistry registry, String program,
            String... probes) {
        BpftraceBuild.SYSTEM.assumeAvailable();
        // Tags such as an HTTP client's are longer than bpftrace's default 63 bytes.
        ObservationFires fires = new ObservationFires(Bpftrace.attach(BpftraceBuild.SYSTEM,
                Map.of("BPFTRACE_STRLEN", "100"), PID, program.formatted(provider.name())));
        for (String probe : probes) {
            fires.awaitFire(probe, ATTACH_CHECK,
                    () -> Observation.createNotStarted(ATTACH_CHECK, registry).observe(() -> { }));
        }
        return fires;
    }

    /** Runs {@code action} until a stop of the named observation has been printed, both lines, and returns it. */
    Fire awaitStop(String name, Runnable action) {
        return awaitFire("stop", name, action);
    }

    private Fire awaitFire(String probe, String name, Runnable action) {
        return awaitFire(fire -> fire.probe().equals(probe) && fire.name().equals(name),
                "observation-" + probe + " of " + name, action);
    }

    /** The start with this id, once bpftrace has printed both its lines. */
    Fire awaitStart(long id) {
        return awaitFire(fire -> fire.probe().equals("start") && fire.id() == id, "observation-start with id " + id,
                () -> { });
    }

    /** Runs {@code action} until a fire that {@code wanted} accepts has been printed, both lines, and returns it. */
    private Fire awaitFire(Predicate<Fire> wanted, String description, Runnable action) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            action.run();
            Optional<Fire> fire = fires().stream().filter(wanted).findFirst();
            if (fire.isPresent()) {
                return fire.get();
            }
            pause();
        }
        return fail("no " + description + " within " + TIMEOUT + "; bpftrace printed:\n"
                + String.join("\n", bpftrace.output()));
    }

    /** Every fire printed so far whose second line has arrived too. */
    private List<Fire> fires() {
        List<String[]> lines = bpftrace.output().stream().map(line -> line.split("\\|", -1)).toList();
        return lines.stream().filter(fields -> fields[0].equals("start") || fields[0].equals("stop"))
                .flatMap(fields -> secondLineOf(lines, fields[0], fields[1]).map(more -> fire(fields, more)).stream())
                .toList();
    }

    @Override
    public void close() {
        bpftrace.close();
    }

    private static Optional<String[]> secondLineOf(List<String[]> lines, String probe, String id) {
        return lines.stream().filter(fields -> fields[0].equals(probe + "-tags") && fields[1].equals(id)).findFirst();
    }

    private static Fire fire(String[] fields, String[] more) {
        boolean stop = fields[0].equals("stop");
        return new Fire(fields[0], Long.parseLong(fields[1]), fields[2], fields[3], more[2],
                stop ? Long.parseLong(fields[4]) : -1, stop ? more[3] : "");
    }
}
