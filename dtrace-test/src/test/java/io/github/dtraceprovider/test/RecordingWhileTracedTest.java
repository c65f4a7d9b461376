package io.github.dtraceprovider.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.ProbeStates;

import static org.assertj.core.api.Assertions.assertThat;

/** A real bpftrace attached before or during recording sees every fire, with the values the recorder has. */
class RecordingWhileTracedTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @BeforeEach
    void assumeBpftrace() {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
    }

    @Test
    void bpftraceAttachedBeforeRecordingSeesWhatTheRecorderHas() {
        try (DTraceProvider provider = DTraceProvider.create("traced_before")) {
            Probe placed = provider.addProbe("order-placed", "int id", "char * customer", "json order");
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, program("traced_before"))) {
                ProbeStates.awaitTraced(placed);
                int fired;
                try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                    // the semaphore is set a moment before the program is attached: fire until bpftrace prints one
                    String printed = bpftrace.awaitLine("placed .*", TIMEOUT,
                            () -> placed.fire(() -> new Object[] {-7.9, "zoë\0hidden", Map.of("sku", "A-1")}));
                    List<ProbeRecorder.Fire> fires = recorder.fires("order-placed");
                    assertThat(fires).isNotEmpty().allMatch(fire -> fire.args()
                            .equals(List.of(-7L, "zoë", "{\"sku\":\"A-1\"}")));
                    assertThat(printed).isEqualTo(asPrinted(fires.get(0).args()));
                    fired = fires.size();
                }
                assertThat(placed.isEnabled()).as("bpftrace is still attached").isTrue();
                assertThat(placed.fireCount()).as("every recorded fire reached the native probe").isEqualTo(fired);
                bpftrace.stop();
            }
            assertThat(placed.isEnabled()).isFalse();
        }
    }

    @Test
    void bpftraceAttachedWhileRecordingSeesWhatTheRecorderHas() {
        try (DTraceProvider provider = DTraceProvider.create("traced_during")) {
            Probe placed = provider.addProbe("order-placed", "int id", "char * customer", "json order");
            provider.enable();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider);
                    Bpftrace bpftrace = Bpftrace.attach(PID, program("traced_during"))) {
                // enabled all along: fire until bpftrace, which attaches around its "Attaching" line, prints one
                String printed = bpftrace.awaitLine("placed .*", TIMEOUT,
                        () -> placed.fire(() -> new Object[] {Long.MAX_VALUE, "ünïcode", List.of(1, 2)}));
                List<ProbeRecorder.Fire> fires = recorder.fires("order__placed");
                assertThat(fires).isNotEmpty().allMatch(fire -> fire.args()
                        .equals(List.of(Long.MAX_VALUE, "ünïcode", "[1,2]")));
                assertThat(printed).isEqualTo(asPrinted(fires.get(0).args()));
                recorder.close();
                assertThat(placed.isEnabled()).as("bpftrace is attached").isTrue();
            }
            assertThat(placed.isEnabled()).isFalse();
        }
    }

    private static String program(String provider) {
        return "usdt::" + provider + ":order__placed { printf(\"placed %ld %s %s\\n\", arg0, str(arg1), str(arg2)); }";
    }

    private static String asPrinted(List<Object> args) {
        return "placed " + args.get(0) + " " + args.get(1) + " " + args.get(2);
    }
}
