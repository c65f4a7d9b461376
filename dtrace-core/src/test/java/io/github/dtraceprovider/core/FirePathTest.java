package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.dtraceprovider.testing.ProbeStates.pretendTraced;
import static io.github.dtraceprovider.testing.ProbeStates.pretendUntraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fire path without a tracer. Where a test needs a traced probe it sets the probe's semaphore itself,
 * as the kernel does when a tracer attaches; the stub it then calls is a no-op.
 */
class FirePathTest {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path dir;
    private DTraceProvider provider;
    private CapturedLog log;

    @BeforeEach
    void setUp() {
        provider = DTraceProvider.builder("firetest" + COUNTER.incrementAndGet()).directory(dir).build();
        log = CapturedLog.start();
    }

    @AfterEach
    void tearDown() {
        log.close();
        provider.close();
    }

    private static Supplier<Object[]> mustNotRun() {
        return () -> {
            throw new AssertionError("the supplier must not run while the probe is not traced");
        };
    }

    private void assumeSupported() {
        assumeTrue(DTraceProvider.isSupported(), () -> "native core not loadable: " + DTraceProvider.unsupportedReason());
    }

    @Test
    void untracedProbesNeverRunTheSupplier() {
        Probe probe = provider.addProbe("p", "int");
        probe.fire(mustNotRun());
        provider.fire("p", mustNotRun());
        assertThat(probe.isEnabled()).isFalse();

        provider.enable();
        assertThat(provider.isEnabled()).isEqualTo(DTraceProvider.isSupported());
        probe.fire(mustNotRun());
        provider.fire("p", mustNotRun());
        assertThat(probe.isEnabled()).isFalse();

        provider.disable();
        assertThat(provider.isEnabled()).isFalse();
        probe.fire(mustNotRun());
        provider.fire("p", mustNotRun());

        provider.close();
        probe.fire(mustNotRun());
        provider.fire("p", mustNotRun());
        assertThat(probe.fireCount()).isZero();
        assertThat(probe.failureCount()).isZero();
    }

    @Test
    void nullSupplierOnAnUntracedProbeIsNothing() {
        Probe probe = provider.addProbe("p");
        probe.fire(null);
        assertThat(probe.failureCount()).isZero();
    }

    @Test
    void tracedProbeRunsTheSupplierAndCountsFires() {
        assumeSupported();
        Probe probe = provider.addProbe("p", "int", "char *");
        provider.enable();
        pretendTraced(probe);
        assertThat(probe.isEnabled()).isTrue();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            probe.fire(() -> new Object[] {calls.incrementAndGet(), "x"});
        }
        provider.fire("p", () -> new Object[] {calls.incrementAndGet(), "y"});
        assertThat(calls).hasValue(6);
        assertThat(probe.fireCount()).isEqualTo(6);
        assertThat(probe.failureCount()).isZero();

        pretendUntraced(probe);
        assertThat(probe.isEnabled()).isFalse();
        probe.fire(mustNotRun());
        assertThat(probe.fireCount()).isEqualTo(6);
    }

    @Test
    void failuresAreCountedLoggedOnceAndNeverThrown() {
        assumeSupported();
        Probe probe = provider.addProbe("p", "int", "json");
        provider.enable();
        pretendTraced(probe);

        probe.fire(() -> {
            throw new IllegalStateException("supplier broke");
        });
        probe.fire(() -> null);
        probe.fire(null);
        assertThat(probe.fireCount()).as("skipped fires").isZero();
        assertThat(probe.failureCount()).isEqualTo(3);

        probe.fire(() -> new Object[] {"not a number"});      // coerced, fired anyway
        probe.fire(() -> new Object[] {1, 2, 3});             // extra ignored, fired anyway
        probe.fire(() -> new Object[] {1, List.of("ok")});    // fine
        assertThat(probe.fireCount()).isEqualTo(3);
        assertThat(probe.failureCount()).isEqualTo(5);

        assertThat(log.awaitRecords(1)).hasSize(1);
        LogRecord record = log.records().get(0);
        assertThat(record.getLevel()).isEqualTo(Level.WARNING);
        assertThat(record.getMessage()).matches(Pattern.quote("DTrace probe \"p\" of provider \"" + provider.name()
                + "\": the argument supplier threw java.lang.IllegalStateException at "
                + FirePathTest.class.getName()) + "\\.lambda\\$.*\\(FirePathTest\\.java:\\d+\\)"
                + Pattern.quote("; fire skipped (further problems with this probe are counted in failureCount(), not"
                + " logged)"));
    }

    /** A supplier's exception is named by its class and where it was thrown: its message may hold any value. */
    @Test
    void exceptionMessagesStayOutOfTheLog() {
        assumeSupported();
        Probe probe = provider.addProbe("card", "int");
        provider.enable();
        pretendTraced(probe);

        String card = "4111 1111 1111 1111\nSEVERE: fake log line injected";
        probe.fire(() -> new Object[] {Long.parseLong(card)});

        assertThat(probe.failureCount()).isOne();
        String message = log.awaitMessages(1).get(0);
        assertThat(message).contains("the argument supplier threw java.lang.NumberFormatException at "
                + FirePathTest.class.getName()).doesNotContain("4111").doesNotContain("SEVERE").doesNotContain("\n");
    }

    @Test
    void eachProbeLogsItsFirstProblem() {
        assumeSupported();
        Probe a = provider.addProbe("a", "int");
        Probe b = provider.addProbe("b", "int");
        provider.enable();
        pretendTraced(a, b);
        a.fire(() -> new Object[] {"x"});
        a.fire(() -> new Object[] {"y"});
        b.fire(() -> new Object[] {});
        assertThat(log.awaitMessages(2)).containsExactly(
                "DTrace probe \"a\" of provider \"" + provider.name()
                        + "\": argument 1 (int) got a java.lang.String; passed 0"
                        + " (further problems with this probe are counted in failureCount(), not logged)",
                "DTrace probe \"b\" of provider \"" + provider.name()
                        + "\": the supplier returned 0 value(s) for 1 argument(s); the missing ones were passed"
                        + " as 0 or NULL (further problems with this probe are counted in failureCount(), not logged)");
    }

    @Test
    void unknownProbeIsLoggedOncePerName() {
        provider.fire("nope", mustNotRun());
        provider.fire("nope", mustNotRun());
        provider.fire("other", mustNotRun());
        assertThat(log.awaitMessages(2)).containsExactly(
                "DTrace provider \"" + provider.name() + "\": fire() for unknown probe \"nope\" ignored",
                "DTrace provider \"" + provider.name() + "\": fire() for unknown probe \"other\" ignored");
    }

    @Test
    void firingAfterCloseIsANoOpEvenIfTheSemaphoreWasSeenSet() {
        assumeSupported();
        Probe probe = provider.addProbe("p", "int");
        provider.enable();
        pretendTraced(probe);
        provider.close();
        assertThat(probe.isEnabled()).isFalse();
        probe.fire(mustNotRun());
        assertThat(probe.fireCount()).isZero();
        assertThat(probe.objectPath()).isEmpty();
        assertThat(provider.objectPaths()).isEmpty();
    }

    @Test
    void objectFilesFollowEnableAndDisable() {
        assumeSupported();
        Probe first = provider.addProbe("first", "int");
        assertThat(provider.objectPaths()).isEmpty();
        provider.enable();
        provider.enable(); // idempotent: nothing new to load
        List<Path> paths = provider.objectPaths();
        assertThat(paths).hasSize(1);
        Path object = paths.get(0);
        assertThat(object).exists().startsWith(dir.toAbsolutePath());
        assertThat(first.objectPath()).contains(object);

        Probe second = provider.addProbe("second", "char *");
        assertThat(second.objectPath()).isPresent().get().isNotEqualTo(object);
        assertThat(provider.objectPaths()).containsExactly(object, second.objectPath().get());
        assertThat(first.objectPath()).contains(object);

        provider.disable();
        assertThat(provider.objectPaths()).isEmpty();
        assertThat(first.objectPath()).isEmpty();
        assertThat(object).doesNotExist();

        provider.enable();
        assertThat(provider.objectPaths()).hasSize(1);
        assertThat(first.objectPath()).isEqualTo(second.objectPath());
        assertThat(provider.objectPaths().get(0)).exists();
    }

    @Test
    void enableFailsWithAClearMessage() throws Exception {
        assumeSupported();
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        try (DTraceProvider broken = DTraceProvider.builder("firetestbroken").directory(file).build()) {
            broken.addProbe("p");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(broken::enable))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot enable DTrace provider \"firetestbroken\": ")
                    .message().doesNotContain("\n");
            assertThat(broken.isEnabled()).isFalse();
            assertThat(broken.objectPaths()).isEmpty();
        }
    }

    @Test
    void providerWithoutProbesEnablesAndLoadsLaterProbes() {
        assumeSupported();
        provider.enable();
        assertThat(provider.isEnabled()).isTrue();
        assertThat(provider.objectPaths()).isEmpty();
        Probe late = provider.addProbe("late");
        assertThat(late.objectPath()).isPresent();
    }
}
