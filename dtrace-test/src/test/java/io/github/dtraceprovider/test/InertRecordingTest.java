package io.github.dtraceprovider.test;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorder works where providers are inert (another operating system or architecture, as on a developer's laptop):
 * checked in a child JVM whose class path lacks the dtrace-native artifact, as dtrace-core's UnsupportedPlatformTest
 * does.
 */
class InertRecordingTest {

    @Test
    void aRecorderRecordsTheProbesOfAnInertProvider() throws Exception {
        Tools.Result result = ChildJvm.runWithoutNativeLibrary(InertMain.class);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactly(
                "inert: true",
                "enabled while recorded: true",
                "recorded: inert_recorded:order-placed(42, \"alice\", \"{\"total\":1250}\") on thread \"main\"",
                "enabled after close: false");
    }

    /** Runs in the child JVM and prints what it saw. */
    public static final class InertMain {

        public static void main(String[] args) {
            System.out.println("inert: " + !DTraceProvider.isSupported());
            try (DTraceProvider provider = DTraceProvider.create("inert_recorded")) {
                Probe placed = provider.addProbe("order-placed", "int id", "char * customer", "json order");
                provider.enable();
                try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                    System.out.println("enabled while recorded: " + placed.isEnabled());
                    placed.fire(() -> new Object[] {42, "alice", Map.of("total", 1250)});
                    recorder.fires("order__placed").forEach(fire -> System.out.println("recorded: " + fire));
                }
                System.out.println("enabled after close: " + placed.isEnabled());
            }
        }
    }
}
