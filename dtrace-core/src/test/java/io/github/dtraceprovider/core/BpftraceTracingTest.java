package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.mustNotRun;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bpftrace attached to this JVM sees the probes and their arguments; {@link BpftraceMatrixTest} runs the checks that
 * differ between bpftrace versions with each of them.
 */
class BpftraceTracingTest {

    @BeforeEach
    void assumeBpftrace() {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
    }

    @Test
    void seedExampleFromTheIssue() {
        try (DTraceProvider dtp = DTraceProvider.create("nodeapp")) {
            Probe probe1 = dtp.addProbe("probe1", "int", "int");
            dtp.addProbe("probe2", "char *");
            dtp.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, """
                    usdt::nodeapp:probe1 { printf("%d %d\\n", arg0, arg1); }
                    usdt::nodeapp:probe2 { printf("%s\\n", str(arg0)); }
                    """)) {
                // The semaphores are set before bpftrace's programs are attached (0.11 attaches one probe's program
                // well after the other's): fire each until one arrives.
                awaitTraced(probe1, dtp.probe("probe2"));
                bpftrace.awaitLine("0 0", TIMEOUT, () -> probe1.fire(() -> new Object[] {0, 0}));
                bpftrace.awaitLine("warm", TIMEOUT, () -> dtp.fire("probe2", () -> new Object[] {"warm"}));
                long warmUp1 = probe1.fireCount();
                long warmUp2 = dtp.probe("probe2").fireCount();
                for (int i = 0; i < 10; i++) {
                    probe1.fire(() -> new Object[] {1, 2});
                    dtp.fire("probe2", () -> new Object[] {"hello, dtrace"});
                }
                bpftrace.awaitLines("1 2", 10, TIMEOUT);
                bpftrace.awaitLines("hello, dtrace", 10, TIMEOUT);
                List<String> expected = new ArrayList<>(Collections.nCopies(10, "1 2"));
                expected.addAll(Collections.nCopies(10, "hello, dtrace"));
                // every fire printed exactly once (bpftrace's per-CPU buffers may interleave the two probes)
                assertThat(bpftrace.stop()).filteredOn(line -> !line.equals("0 0") && !line.equals("warm"))
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(probe1.fireCount()).isEqualTo(warmUp1 + 10);
                assertThat(dtp.probe("probe2").fireCount()).isEqualTo(warmUp2 + 10);
            }
        }
    }

    @Test
    void aProbeDeclaredWithHyphensIsTracedByItsNoteNameAndFiredByEitherSpelling() {
        String name = uniqueName("spelling");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("order-placed", "int id");
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID,
                    "usdt::" + name + ":order__placed { printf(\"placed %ld\\n\", arg0); }")) {
                // The semaphore is set before bpftrace's program is attached: fire until one arrives.
                awaitTraced(probe);
                bpftrace.awaitLine("placed 0", TIMEOUT, () -> probe.fire(() -> new Object[] {0}));
                provider.fire("order-placed", () -> new Object[] {1});
                provider.fire("order__placed", () -> new Object[] {2});
                provider.probe("order__placed").fire(() -> new Object[] {3});
                bpftrace.awaitLines("placed [1-3]", 3, TIMEOUT);
                assertThat(bpftrace.stop()).filteredOn(line -> !line.equals("placed 0"))
                        .containsExactly("placed 1", "placed 2", "placed 3");
            }
        }
    }

    @Test
    void coercedValuesArriveAsDocumented() {
        String name = uniqueName("coerce");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "int", "int", "int", "char *", "int", "char *");
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":p { printf(\"%ld %ld %ld %s %ld "
                    + "%ld\\n\", arg0, arg1, arg2, str(arg3), arg4, arg5); }")) {
                // -2.9 truncates toward zero, true is 1, 'A' is 65, 42 becomes "42", the missing ones 0 and NULL
                String line = bpftrace.awaitLine(".*", TIMEOUT,
                        () -> probe.fire(() -> new Object[] {-2.9, true, 'A', 42}));
                assertThat(line).isEqualTo("-2 1 65 42 0 0");
            }
            assertThat(probe.failureCount()).isPositive();
        }
    }

    @Test
    void disableUnloadsEverythingAndEnableLoadsItAgain() throws Exception {
        String name = uniqueName("onoff");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "int");
            provider.enable();
            Path object = provider.objectPaths().get(0);
            String program = "usdt::" + name + ":p { printf(\"p %ld\\n\", arg0); }";
            try (Bpftrace bpftrace = Bpftrace.attach(PID, program)) {
                bpftrace.awaitLine("p 1", TIMEOUT, () -> probe.fire(() -> new Object[] {1}));

                provider.disable();
                assertThat(provider.isEnabled()).isFalse();
                assertThat(probe.isEnabled()).isFalse();
                assertThat(object).doesNotExist();
                assertThat(Files.readString(Path.of("/proc/self/maps"))).doesNotContain(object.toString());
                assertThat(provider.objectPaths()).isEmpty();
                long fired = probe.fireCount();
                for (int i = 0; i < 1000; i++) {
                    probe.fire(mustNotRun());
                    provider.fire("p", mustNotRun());
                }
                assertThat(probe.fireCount()).isEqualTo(fired);
                assertThat(bpftrace.stop()).doesNotContain("p 2").contains("p 1");
            }

            provider.enable();
            Path reloaded = provider.objectPaths().get(0);
            assertThat(reloaded).exists();
            assertThat(Files.readString(Path.of("/proc/self/maps"))).contains(reloaded.toString());
            try (Bpftrace bpftrace = Bpftrace.attach(PID, program)) {
                bpftrace.awaitLine("p 2", TIMEOUT, () -> probe.fire(() -> new Object[] {2}));
            }
        }
    }
}
