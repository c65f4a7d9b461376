package io.github.dtraceprovider.benchmarks;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Prints the Markdown table of BENCHMARKS.md from one run of benchmarks/run.sh: the JMH results (CSV) and the figures
 * that run.sh measured itself (a properties file). Each row holds the measured value, what it is compared with in the
 * same run, the ratio or difference, the target and whether it is met.
 *
 * <p>Usage:
 * {@code java -cp benchmarks.jar io.github.dtraceprovider.benchmarks.ResultsTable JMH_CSV MEASURED_PROPERTIES}
 */
public final class ResultsTable {

    private static final String PACKAGE = "io.github.dtraceprovider.benchmarks.";

    private final Map<String, Double> jmh;
    /** Row 1's JMH results on Java 25; empty where run.sh found no Java 25. */
    private final Map<String, Double> jmhJava25;
    private final Properties measured;
    private final List<String> rows = new ArrayList<>();

    private ResultsTable(Map<String, Double> jmh, Map<String, Double> jmhJava25, Properties measured) {
        this.jmh = jmh;
        this.jmhJava25 = jmhJava25;
        this.measured = measured;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: ResultsTable JMH_CSV MEASURED_PROPERTIES [JMH_CSV_OF_JAVA_25]");
            System.exit(2);
        }
        Properties measured = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]))) {
            measured.load(reader);
        }
        ResultsTable table = new ResultsTable(readJmhCsv(Path.of(args[0])),
                args.length == 3 ? readJmhCsv(Path.of(args[2])) : Map.of(), measured);
        table.addRows();
        // The table has ≤, × and —: UTF-8 whatever the locale says.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("| # | what is measured | measured | compared with (same run) | ratio or difference | target"
                + " | met |");
        out.println("|---|---|---|---|---|---|---|");
        table.rows.forEach(out::println);
    }

    private void addRows() {
        UntracedScores untraced = untracedScores(jmh);
        untracedRow("1", "", untraced, "within 1 ns of the JFR event",
                Math.max(untraced.isEnabled(), untraced.fire()) - untraced.jfr() <= 1.0);
        if (!jmhJava25.isEmpty()) {
            UntracedScores java25 = untracedScores(jmhJava25);
            untracedRow("1 (Java 25)", " on Java 25", java25, "`fire(supplier)` within 0.5 ns of the JFR event",
                    java25.fire() - java25.jfr() <= 0.5);
        }

        double java = number("traced_fire_java_ns");
        double c = number("traced_fire_c_ns");
        double cCalled = number("traced_fire_c_called_ns");
        double cThenCall = number("traced_fire_c_then_call_ns");
        double core = number("traced_fire_native_core_ns");
        double javaUntrapped = number("untrapped_fire_java_ns");
        double coreUntrapped = number("untrapped_fire_native_core_ns");
        row("2", "traced fire of `(int, int, char *, char *)`, bpftrace counting",
                "Java " + fmt(java) + " ns/fire (C through the native core: " + fmt(core) + "); the same loops with the "
                        + "semaphore set by hand and no uprobe: Java " + fmt(javaUntrapped) + ", C " + fmt(coreUntrapped),
                "C with `sys/sdt.h`, probe inline: " + fmt(c) + " ns/fire (inline, then a call: " + fmt(cThenCall)
                        + "; probe in a called function: " + fmt(cCalled) + ")",
                "Java/C through the native core " + ratio(java / core) + " (Java/C inline: " + ratio(java / c)
                        + "; in a called function: " + ratio(java / cCalled) + ")",
                "Java ≤ 1.1× the native core's C fire", java / core <= 1.1);

        if (measured.containsKey("traced_fire_java25_virtual_ns")) {
            double platform = number("traced_fire_java25_platform_ns");
            double virtual = number("traced_fire_java25_virtual_ns");
            row("2v", "traced fire as in row 2, on a virtual thread (Java 25)", fmt(virtual) + " ns/fire",
                    "the same loop on a platform thread: " + fmt(platform) + " ns/fire", ratio(virtual / platform) + "×",
                    "≤ 1.1×", virtual / platform <= 1.1);
        }

        double traced = score("TracedMethodBenchmark.tracedUntraced");
        double empty = score("TracedMethodBenchmark.emptyInterceptor");
        double unproxied = score("TracedMethodBenchmark.unproxied");
        row("3", "`@Traced` bean method, untraced", ns(traced),
                "empty `MethodInterceptor` " + ns(empty) + "; unproxied " + ns(unproxied),
                ratio(traced / empty) + "×", "≤ 1.15× the empty interceptor", traced / empty <= 1.15);

        // The bar for an added probe is what @Traced adds to the same method, the proxy included: what a user pays
        // for a probe on a method either way. What the interceptor adds over an empty one stands beside it.
        double neverProbed = score("AddedMethodProbeBenchmark.neverProbed");
        double added = score("AddedMethodProbeBenchmark.addedProbeUntraced");
        double removed = score("AddedMethodProbeBenchmark.probeRemoved");
        row("3a", "method with a probe added by `dtrace-agent.jar attach`, untraced / after `--remove`",
                ns(added) + " / " + ns(removed),
                "the same method never probed " + ns(neverProbed) + "; row 3's `@Traced` over the unproxied bean "
                        + plusNs(traced - unproxied) + " (over the empty interceptor " + plusNs(traced - empty) + ")",
                plusNs(added - neverProbed) + " / " + ratio(removed / neverProbed) + "×",
                "added ≤ row 3's `@Traced` over the unproxied bean; removed ≤ 1.05× never probed",
                added - neverProbed <= traced - unproxied && removed / neverProbed <= 1.05);

        double counter = score("MeterRegistryBenchmark.counterIncrement", "compositeWithDTrace");
        double counterApp = score("MeterRegistryBenchmark.counterIncrement", "app");
        double counterComposite = score("MeterRegistryBenchmark.counterIncrement", "composite");
        double timer = score("MeterRegistryBenchmark.timerRecord", "compositeWithDTrace");
        double timerApp = score("MeterRegistryBenchmark.timerRecord", "app");
        double timerComposite = score("MeterRegistryBenchmark.timerRecord", "composite");
        double counterIdle = score("MeterRegistryBenchmark.counterIncrement", "compositeWithIdleChild");
        double timerIdle = score("MeterRegistryBenchmark.timerRecord", "compositeWithIdleChild");
        row("4", "`Counter.increment()` / `Timer.record()`, starter's registry in the composite, untraced",
                ns(counter) + " / " + ns(timer),
                "without it (the app's registry alone, as Boot injects it): " + ns(counterApp) + " / " + ns(timerApp)
                        + "; a composite of the app's registry alone: " + ns(counterComposite) + " / "
                        + ns(timerComposite) + "; that composite with a second child that denies every meter: "
                        + ns(counterIdle) + " / " + ns(timerIdle),
                plusNs(counter - counterApp) + " / " + plusNs(timer - timerApp) + " (vs the composite alone: "
                        + plusNs(counter - counterComposite) + " / " + plusNs(timer - timerComposite)
                        + "; vs the composite with an idle second child: " + plusNs(counter - counterIdle) + " / "
                        + plusNs(timer - timerIdle) + ")",
                "≤ +2 ns / +5 ns over the composite alone",
                counter - counterComposite <= 2.0 && timer - timerComposite <= 5.0);

        httpRow("5", "platform threads", "", java, true);
        httpRow("5v", "virtual threads (`spring.threads.virtual.enabled=true`)", "_vt", java, false);

        double enable10 = score("ProviderEnableBenchmark.enable", "10");
        double enable100 = score("ProviderEnableBenchmark.enable", "100");
        double enable1000 = score("ProviderEnableBenchmark.enable", "1000");
        row("6", "`enable()` of a provider with 10 / 100 / 1000 probes",
                ms(enable10) + " / " + ms(enable100) + " / " + ms(enable1000), "—", "—", "100 probes under 5 ms",
                enable100 < 5.0);

        double warmMib = number("rss_warm_kib") / 1024;
        double endMib = number("rss_end_kib") / 1024;
        double maxMib = number("rss_max_kib") / 1024;
        row("7", "resident memory of a JVM firing " + measured.getProperty("rss_fires") + " traced and as many untraced"
                        + " probes",
                fmt(endMib) + " MiB at the end (highest sample " + fmt(maxMib) + " MiB)",
                "after warm-up: " + fmt(warmMib) + " MiB", plusMib(maxMib - warmMib),
                "flat: no growth after warm-up (≤ +1 MiB)", maxMib - warmMib <= 1.0);
    }

    /** Row 1's scores, in ns per operation. */
    private record UntracedScores(double baseline, double jfr, double isEnabled, double fire) {
    }

    private static UntracedScores untracedScores(Map<String, Double> results) {
        return new UntracedScores(score(results, "UntracedProbeBenchmark.baseline"),
                score(results, "UntracedProbeBenchmark.jfrEventNotRecording"),
                score(results, "UntracedProbeBenchmark.probeIsEnabled"),
                score(results, "UntracedProbeBenchmark.probeFireWithSupplier"));
    }

    /** Row 1 from one JVM's results; {@code on} says which JVM when it is not the build's. */
    private void untracedRow(String number, String on, UntracedScores scores, String target, boolean met) {
        row(number, "untraced `Probe.isEnabled()` / `Probe.fire(supplier)`" + on,
                ns(scores.isEnabled()) + " / " + ns(scores.fire()),
                "JFR event not recording " + ns(scores.jfr()) + "; empty loop " + ns(scores.baseline()),
                plusNs(scores.isEnabled() - scores.jfr()) + " / " + plusNs(scores.fire() - scores.jfr()), target, met);
    }

    /**
     * Row 5 for one kind of request thread: CPU time per request, untraced against {@code dtrace.enabled=false} and
     * traced over untraced, each a median of per-round figures; throughput beside it. With {@code sampled}, the
     * untraced target is judged on the shares of execution samples in this project's code instead, with tracing and
     * without, and the CPU ratio stays as a second figure: two JVMs of the same configuration differ by more than
     * the 1% that ratio is meant to resolve.
     */
    private void httpRow(String number, String threads, String kind, double javaFireNs, boolean sampled) {
        double disabled = number("http_disabled" + kind + "_cpu_us");
        double untraced = number("http_untraced" + kind + "_cpu_us");
        double traced = number("http_traced" + kind + "_cpu_us");
        double ratio = number("http" + kind + "_untraced_cpu_ratio");
        double overUntraced = number("http" + kind + "_traced_cpu_us_over_untraced");
        double tracedTarget = 2 * javaFireNs / 1000 + 0.5;
        String what = "";
        String value = "";
        String untracedTarget = "untraced ≤ 1.01×";
        boolean untracedMet = ratio <= 1.01;
        if (sampled) {
            SampledShares withTracing = sampledShares("tracing");
            SampledShares withoutTracing = sampledShares("no_tracing");
            what = "untraced, JFR execution samples every 1 ms of the app, with Micrometer Tracing (OpenTelemetry) on "
                    + "the class path and without, wrk " + measured.getProperty("http_sampled_wrk") + "; ";
            value = "untraced, samples whose innermost frame outside the JDK is this project's, the `@Traced` "
                    + "interceptor's dispatch apart: with tracing " + withTracing + "; without " + withoutTracing
                    + "; CPU time: ";
            untracedTarget = "untraced ≤ " + SampledShares.TARGET_PERCENT + "% of the samples outside the dispatch, "
                    + "with and without tracing";
            untracedMet = withTracing.met() && withoutTracing.met();
        }
        row(number, "HTTP `" + measured.getProperty("http_request") + "` to the demo app, " + threads + ": " + what
                        + "the app's CPU time per request (pinned apart from wrk: "
                        + measured.getProperty("http_pinned") + "), wrk " + measured.getProperty("http_wrk")
                        + " (medians of per-round figures)",
                value + "untraced " + us(untraced) + ", traced " + us(traced) + " per request (" + fmt(
                        number("http_untraced" + kind + "_rps")) + " / " + fmt(number("http_traced" + kind + "_rps"))
                        + " req/s)",
                "`dtrace.enabled=false`: " + us(disabled) + " per request (" + fmt(
                        number("http_disabled" + kind + "_rps")) + " req/s)",
                "untraced " + ratio(ratio) + "× (rounds: " + measured.getProperty("http" + kind
                        + "_untraced_cpu_ratio_range") + "); traced " + String.format(Locale.ROOT, "%+.2f µs",
                        overUntraced) + " over untraced (rounds: " + measured.getProperty("http" + kind
                        + "_traced_cpu_us_over_untraced_range") + ")",
                untracedTarget + "; traced ≤ +" + fmt(tracedTarget) + " µs (twice row 2's Java fire + 0.5 µs)",
                untracedMet && overUntraced <= tracedTarget);
    }

    /**
     * Row 5's execution samples of one variant of the demo (ExecutionSampleShares): all of them, those in this
     * project's code (the dispatch included) and those in the {@code @Traced} interceptor's dispatch.
     */
    private record SampledShares(long samples, long project, long dispatch) {

        static final double TARGET_PERCENT = 0.2;

        double outsideDispatchPercent() {
            return 100.0 * (project - dispatch) / samples;
        }

        boolean met() {
            return outsideDispatchPercent() <= TARGET_PERCENT;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f%% (%d of %d samples), dispatch %.2f%% (%d)",
                    outsideDispatchPercent(), project - dispatch, samples, 100.0 * dispatch / samples, dispatch);
        }
    }

    private SampledShares sampledShares(String variant) {
        String prefix = "http_sampled_" + variant + "_";
        return new SampledShares((long) number(prefix + "samples"), (long) number(prefix + "project_samples"),
                (long) number(prefix + "dispatch_samples"));
    }

    private void row(String number, String what, String value, String comparedWith, String ratio, String target,
            boolean met) {
        rows.add("| " + number + " | " + what + " | " + value + " | " + comparedWith + " | " + ratio + " | " + target
                + " | " + (met ? "met" : "**missed**") + " |");
    }

    /** The score of a benchmark, with the value of its only parameter if it has one. */
    private double score(String benchmark, String... parameter) {
        return score(jmh, benchmark, parameter);
    }

    private static double score(Map<String, Double> results, String benchmark, String... parameter) {
        String key = PACKAGE + benchmark + (parameter.length == 0 ? "" : " " + parameter[0]);
        Double score = results.get(key);
        if (score == null) {
            throw new IllegalStateException("no JMH result for " + key);
        }
        return score;
    }

    private double number(String key) {
        String value = measured.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("run.sh measured no " + key);
        }
        return Double.parseDouble(value);
    }

    /**
     * JMH's CSV result: every field quoted; Benchmark and Score columns, then one column per parameter, empty where a
     * benchmark does not have it. Keyed by benchmark name, followed by its parameter value if it has one.
     */
    static Map<String, Double> readJmhCsv(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = fields(lines.get(0));
        int benchmark = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        Map<String, Double> scores = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = fields(line);
            StringBuilder key = new StringBuilder(fields.get(benchmark));
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).startsWith("Param: ") && !fields.get(i).isEmpty()) {
                    key.append(' ').append(fields.get(i));
                }
            }
            scores.put(key.toString(), Double.parseDouble(fields.get(score)));
        }
        return scores;
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        for (String field : line.split(",", -1)) {
            fields.add(field.replace("\"", ""));
        }
        return fields;
    }

    private static String ns(double value) {
        return fmt(value) + " ns";
    }

    private static String us(double value) {
        return fmt(value) + " µs";
    }

    private static String ms(double value) {
        return fmt(value) + " ms";
    }

    private static String plusNs(double value) {
        return String.format(Locale.ROOT, "%+.2f ns", value);
    }

    private static String plusMib(double value) {
        return String.format(Locale.ROOT, "%+.1f MiB", value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Three significant digits are more than the noise of this machine allows. */
    private static String fmt(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
