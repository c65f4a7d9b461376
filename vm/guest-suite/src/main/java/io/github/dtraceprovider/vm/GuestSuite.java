package io.github.dtraceprovider.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The guest suite: the host's tracer-facing tests, run inside a kernel guest of vm/run.sh by the JUnit launcher (the
 * guest has a JRE and the tracers, no Maven). It prints one line per test and ends with "N passed, N failed, N
 * skipped"; it exits with 1 when a test failed or none ran.
 *
 * <p>It runs with the working directory dtrace-core (the libbpf reader's sources are found from there) and
 * {@code CI=true}, so a missing tracer fails. What a guest lacks by design (the libbpf reader where the suite's libbpf
 * predates USDT support) is left out with a line saying why.
 */
public final class GuestSuite {

    /** A test class of the suite, and why it cannot run in this guest (empty when it can). */
    private record Check(String testClass, Optional<String> notHere) {

        static Check always(String testClass) {
            return new Check(testClass, Optional.empty());
        }

        static Check unless(String testClass, boolean missing, String why) {
            return new Check(testClass, missing ? Optional.of(why) : Optional.empty());
        }
    }

    /** What BpftraceBuild says of a build left out by dtrace.test.bpftraceBuilds. */
    private static final String NOT_PART_OF_THIS_RUN = "is not part of this run";

    private GuestSuite() {
    }

    /**
     * The suite's parts, each run in a JVM of its own: the zero-config application's test needs its own class path,
     * which has neither the actuator nor Micrometer; SystemTap only when asked (vm/guest-suite.sh systemtap): Debian's
     * SystemTap does not build against Debian's current kernels (CONTRIBUTING.md).
     */
    private static final Map<String, Supplier<List<Check>>> PARTS = Map.of(
            "tracers", GuestSuite::tracerChecks,
            "systemtap", () -> List.of(Check.always("io.github.dtraceprovider.vm.SystemtapTracingTest")),
            "zero-config", () -> List.of(
                    // an application with the starter and nothing else: its HTTP probe and a @Traced method
                    Check.always("io.github.dtraceprovider.zeroconfig.ZeroConfigApplicationTest")));

    private static List<Check> tracerChecks() {
        boolean noLibbpf = !Files.exists(Path.of("/usr/include/bpf/usdt.bpf.h"));
        return List.of(
                // argument kinds, semaphores, late probes, twelve arguments, with the suite's bpftrace
                Check.always("io.github.dtraceprovider.core.BpftraceMatrixTest"),
                // the README's example, hyphenated names, coerced values, disable() then enable()
                Check.always("io.github.dtraceprovider.core.BpftraceTracingTest"),
                Check.always("io.github.dtraceprovider.core.LateProbesTest"),
                // the notes' argument specs as readelf prints them, and argLocations() beside them
                Check.always("io.github.dtraceprovider.core.ListingTest#readelfShowsEachNoteWithItsSemaphoreAndArguments"),
                Check.always("io.github.dtraceprovider.core.ForkWithoutExecTest"),
                Check.always("io.github.dtraceprovider.core.PerfTracingTest"),
                Check.unless("io.github.dtraceprovider.core.LibbpfTracingTest", noLibbpf,
                        "this suite's libbpf-dev has no USDT support (usdt.bpf.h, libbpf 0.8 and later)"),
                // the starter's HTTP, @Traced and meter probes, and the actuator's commands for twelve arguments
                Check.always("io.github.dtraceprovider.spring.e2e.BpftraceMatrixEndToEndTest"));
    }

    public static void main(String[] args) {
        // The other bpftrace builds of the host's matrix come from the network, which a guest does not have:
        // here the matrix is the suite's own bpftrace.
        System.setProperty("dtrace.test.bpftraceBuilds", "SYSTEM");
        if (args.length != 1 || !PARTS.containsKey(args[0])) {
            System.err.println("usage: GuestSuite " + String.join("|", PARTS.keySet()));
            System.exit(2);
        }
        List<Check> checks = PARTS.get(args[0]).get();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Check check : checks) {
            if (check.notHere().isPresent()) {
                System.out.println("NOT HERE " + simpleName(check.testClass()) + ": " + check.notHere().get());
            } else {
                request.selectors(check.testClass().contains("#")
                        ? DiscoverySelectors.selectMethod(check.testClass())
                        : DiscoverySelectors.selectClass(check.testClass()));
            }
        }
        Results results = new Results();
        Launcher launcher = LauncherFactory.create();
        LauncherDiscoveryRequest discovery = request.build();
        launcher.execute(discovery, results);

        System.out.println("(" + results.otherBuilds + " invocations for the host's other bpftrace builds not run here)");
        System.out.println(results.passed + " passed, " + results.failed + " failed, " + results.skipped + " skipped");
        System.exit(results.failed == 0 && results.passed > 0 ? 0 : 1);
    }

    private static String simpleName(String test) {
        return test.substring(test.lastIndexOf('.') + 1);
    }

    /** Prints each test as it ends and counts the outcomes. */
    private static final class Results implements TestExecutionListener {

        private int passed;
        private int failed;
        private int skipped;
        /** Invocations for the host's other bpftrace builds, which a guest does not have. */
        private int otherBuilds;
        private final List<Long> starts = new ArrayList<>();
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        /** "BpftraceMatrixTest > integersArriveWithAllSixtyFourBits(BpftraceBuild) > [1] bpftrace on the PATH". */
        private String name(TestIdentifier test) {
            List<String> names = new ArrayList<>();
            for (Optional<TestIdentifier> at = Optional.of(test); at.isPresent(); at = plan.getParent(at.get())) {
                if (at.get().getSource().isPresent()) {
                    names.add(0, at.get().getDisplayName());
                }
            }
            return String.join(" > ", names);
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            starts.add(System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            skipped++;
            System.out.println("SKIPPED " + name(test) + ": " + reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - starts.remove(starts.size() - 1));
            String name = name(test);
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (test.isTest()) {
                        passed++;
                        System.out.println("PASSED " + name + " (" + seconds + " s)");
                    }
                }
                case ABORTED -> {
                    String reason = result.getThrowable().map(Throwable::getMessage).orElse("");
                    if (reason.contains(NOT_PART_OF_THIS_RUN)) {
                        otherBuilds++;
                    } else {
                        skipped++;
                        System.out.println("SKIPPED " + name + ": " + reason);
                    }
                }
                case FAILED -> {
                    failed++;
                    System.out.println("FAILED " + name + " (" + seconds + " s)");
                    result.getThrowable().ifPresent(t -> t.printStackTrace(System.out));
                }
            }
        }
    }
}
