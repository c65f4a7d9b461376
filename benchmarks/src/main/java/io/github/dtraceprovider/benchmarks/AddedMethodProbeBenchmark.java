package io.github.dtraceprovider.benchmarks;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import example.pricing.NeverProbedPriceCalculator;
import example.pricing.ProbeRemovedPriceCalculator;
import example.pricing.ProbedPriceCalculator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A method carrying a probe added by {@code dtrace-agent} while nobody traces it, and one whose added probe was removed,
 * next to the same method never probed (BENCHMARKS.md row 3a, beside row 3's {@code @Traced} bean method).
 *
 * <p>The probes come as a user adds them to a running JVM: {@code java -jar dtrace-agent.jar attach PID ...}, run as a
 * child process against the fork's own pid. The fork starts without the agent, as a running application that nobody
 * planned to probe does; {@code -javaagent} at its start would change nothing measured here, and would not spare
 * Java 21 and later their warning about an agent loaded at run time (checked on 21 and 25): the fork's flags do that,
 * and allow the native library that the probes load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AddedMethodProbeBenchmark {

    /** Calls of each method before the probes come and go, so that, as in a running application, they are compiled. */
    private static final int CALLS_BEFORE_PROBING = 200_000;

    private final NeverProbedPriceCalculator neverProbed = new NeverProbedPriceCalculator();
    private final ProbedPriceCalculator probed = new ProbedPriceCalculator();
    private final ProbeRemovedPriceCalculator probeRemoved = new ProbeRemovedPriceCalculator();
    private long quantity;

    @Setup(Level.Trial)
    public void addAndRemoveProbes(Blackhole bh) throws IOException, InterruptedException, URISyntaxException {
        for (int i = 0; i < CALLS_BEFORE_PROBING; i++) {
            bh.consume(neverProbed.priceCents(i));
            bh.consume(probed.priceCents(i));
            bh.consume(probeRemoved.priceCents(i));
        }
        agent("added", "--probe", "bench_added", "--method", ProbedPriceCalculator.class.getName() + "#priceCents",
                "--args", "arg0");
        agent("added", "--probe", "bench_removed", "--method",
                ProbeRemovedPriceCalculator.class.getName() + "#priceCents", "--args", "arg0");
        agent("removed", "--remove", "bench_removed");
    }

    @Benchmark
    public void neverProbed(Blackhole bh) {
        bh.consume(neverProbed.priceCents(quantity++));
    }

    @Benchmark
    public void addedProbeUntraced(Blackhole bh) {
        bh.consume(probed.priceCents(quantity++));
    }

    @Benchmark
    public void probeRemoved(Blackhole bh) {
        bh.consume(probeRemoved.priceCents(quantity++));
    }

    /** Runs the agent's command against this JVM; a reply that does not start with {@code expected} fails the trial. */
    private static void agent(String expected, String... request)
            throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
                agentJar().toString(), "attach", Long.toString(ProcessHandle.current().pid())));
        command.addAll(List.of(request));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String reply = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || !reply.startsWith(expected)) {
            throw new IllegalStateException(String.join(" ", command) + " replied: " + reply);
        }
    }

    /**
     * The agent jar that the benchmarks module's build copies beside benchmarks.jar (and beside target/classes when the
     * benchmark runs from the classes directory). Only the file is used: how the jar lays out its classes is the
     * agent's business.
     */
    private static Path agentJar() throws URISyntaxException {
        Path jar = Path.of(AddedMethodProbeBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("dtrace-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no agent jar at " + jar + ": build the benchmarks module with Maven");
        }
        return jar;
    }
}
