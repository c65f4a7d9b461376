package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.await;
import static io.github.dtraceprovider.core.Tracing.awaitTraced;
import static io.github.dtraceprovider.core.Tracing.mustNotRun;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/** bpftrace attached to this JVM sees the probes and their arguments. */
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
                awaitTraced(probe1, dtp.probe("probe2"));
                for (int i = 0; i < 10; i++) {
                    probe1.fire(() -> new Object[] {1, 2});
                    dtp.fire("probe2", () -> new Object[] {"hello, dtrace"});
                }
                bpftrace.awaitLines("1 2", 10, TIMEOUT);
                bpftrace.awaitLines("hello, dtrace", 10, TIMEOUT);
                List<String> expected = new ArrayList<>(Collections.nCopies(10, "1 2"));
                expected.addAll(Collections.nCopies(10, "hello, dtrace"));
                // every fire printed exactly once (bpftrace's per-CPU buffers may interleave the two probes)
                assertThat(bpftrace.stop()).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(probe1.fireCount()).isEqualTo(10);
                assertThat(dtp.probe("probe2").fireCount()).isEqualTo(10);
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
                awaitTraced(probe);
                provider.fire("order-placed", () -> new Object[] {1});
                provider.fire("order__placed", () -> new Object[] {2});
                provider.probe("order__placed").fire(() -> new Object[] {3});
                bpftrace.awaitLines("placed \\d", 3, TIMEOUT);
                assertThat(bpftrace.stop()).containsExactly("placed 1", "placed 2", "placed 3");
            }
        }
    }

    @Test
    void everyArgumentTypeArrivesWithItsValue() {
        String name = uniqueName("types");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("types", "char * text", "string empty", "char *nothing",
                    "long min", "int max", "json order");
            provider.enable();
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("id", 7);
            order.put("items", List.of("a", "b"));
            order.put("note", "ünï ✓");
            // bpftrace's %d prints 32 bits only: 64-bit integers need %ld. A NULL char * prints as "" with
            // str(), like an empty string; its raw value (arg2 here) tells them apart: 0.
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":types { printf(\"[%s] [%s] [%s] "
                    + "%ld %ld %s %ld %d\\n\", str(arg0), str(arg1), str(arg2), arg3, arg4, str(arg5), arg2, "
                    + "arg1 != 0); }")) {
                String line = bpftrace.awaitLine(".*", TIMEOUT, () -> probe.fire(() -> new Object[] {
                        "héllo wörld ✓", "", null, Long.MIN_VALUE, Long.MAX_VALUE, order}));
                assertThat(line).isEqualTo("[héllo wörld ✓] [] [] -9223372036854775808 9223372036854775807 "
                        + "{\"id\":7,\"items\":[\"a\",\"b\"],\"note\":\"ünï ✓\"} 0 1");
            }
            assertThat(probe.failureCount()).isZero();
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
    void isEnabledFollowsTheTracer() {
        String name = uniqueName("flip");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "int");
            Probe other = provider.addProbe("other", "int");
            provider.enable();
            assertThat(probe.isEnabled()).isFalse();
            probe.fire(mustNotRun());

            AtomicInteger calls = new AtomicInteger();
            try (Bpftrace bpftrace = Bpftrace.attach(PID,
                    "usdt::" + name + ":p { printf(\"fired %ld\\n\", arg0); }")) {
                awaitTraced(probe);
                assertThat(other.isEnabled()).as("a probe nobody traces").isFalse();
                other.fire(mustNotRun());
                bpftrace.awaitLine("fired 5", TIMEOUT, () -> probe.fire(() -> new Object[] {calls.incrementAndGet() > 0 ? 5 : 0}));
            }
            await("the probe is disabled after bpftrace exited", () -> !probe.isEnabled());
            int callsAfterTracing = calls.get();
            for (int i = 0; i < 1000; i++) {
                probe.fire(mustNotRun());
            }
            assertThat(calls).hasValue(callsAfterTracing);
            assertThat(probe.fireCount()).isEqualTo(callsAfterTracing);
        }
    }

    @Test
    void probeAddedAfterEnableIsTracedWithoutDisturbingOthers() {
        String name = uniqueName("late");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe early = provider.addProbe("early", "int");
            provider.enable();
            try (Bpftrace earlyTracer = Bpftrace.attach(PID,
                    "usdt::" + name + ":early { printf(\"early %ld\\n\", arg0); }")) {
                earlyTracer.awaitLine("early 1", TIMEOUT, () -> early.fire(() -> new Object[] {1}));

                Probe late = provider.addProbe("late", "char * what");
                assertThat(provider.objectPaths()).hasSize(2);
                assertThat(late.objectPath()).isNotEqualTo(early.objectPath());
                assertThat(early.isEnabled()).as("the early probe stays traced").isTrue();
                earlyTracer.awaitLine("early 2", TIMEOUT, () -> early.fire(() -> new Object[] {2}));

                try (Bpftrace lateTracer = Bpftrace.attach(PID,
                        "usdt::" + name + ":late { printf(\"late %s\\n\", str(arg0)); }")) {
                    lateTracer.awaitLine("late hello", TIMEOUT, () -> late.fire(() -> new Object[] {"hello"}));
                }
                earlyTracer.awaitLine("early 3", TIMEOUT, () -> early.fire(() -> new Object[] {3}));
                assertThat(earlyTracer.stop()).containsSubsequence("early 1", "early 2", "early 3");
            }
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
