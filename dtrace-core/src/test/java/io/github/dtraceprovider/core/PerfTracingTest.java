package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.await;
import static org.assertj.core.api.Assertions.assertThat;

/** perf reads all twelve arguments of a probe (bpftrace 0.17 reads only six). */
class PerfTracingTest {

    private static final Duration PERF_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void perfReadsAllTwelveArguments() throws Exception {
        Tools.assumeCommand("perf");
        // perf probe events are global to the machine: the pid keeps concurrent test runs apart
        String name = "perf" + PID;
        String event = "sdt_" + name + ":twelve";
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("twelve", Collections.nCopies(12, "long"));
            provider.enable();
            String object = probe.objectPath().orElseThrow().toString();
            // perf finds SDT notes through its build-id cache; it reports a failure only on stderr
            Tools.Result cached = Tools.runOk(PERF_TIMEOUT, "perf", "buildid-cache", "--add", object);
            assertThat(cached.stderr())
                    .as("perf buildid-cache --add needs a GNU build-id note in the object:\n" + cached.describe())
                    .doesNotContain("Couldn't add");
            try {
                Tools.runOk(PERF_TIMEOUT, "perf", "probe", "-x", object, "-a", event);
                Tools.Result script;
                try (PerfRecord record = PerfRecord.start(dir, PID, event)) {
                    await("perf increments the semaphore", probe::isEnabled);
                    for (long i = 1; i <= 3; i++) {
                        long first = i;
                        probe.fire(() -> new Object[] {first, -2, 3, Long.MIN_VALUE, Long.MAX_VALUE, 6, 7, 8, 9,
                                10, -11, 12L * first});
                    }
                    record.stop();
                    script = record.script();
                }
                // a line reads: "java  1234 [001]  5.678: sdt_NAME:twelve: (7f0123456789) arg1=1 arg2=-2 ..."
                List<String> arguments = script.stdoutLines().stream()
                        .filter(line -> line.contains(" " + event + ": "))
                        .map(line -> line.replaceFirst(".* " + event + ": \\(\\p{XDigit}+\\) ", ""))
                        .toList();
                List<String> expected = new ArrayList<>();
                for (long i = 1; i <= 3; i++) {
                    expected.add("arg1=" + i + " arg2=-2 arg3=3 arg4=-9223372036854775808 arg5=9223372036854775807"
                            + " arg6=6 arg7=7 arg8=8 arg9=9 arg10=10 arg11=-11 arg12=" + 12 * i);
                }
                assertThat(arguments).as(script.describe()).containsExactlyElementsOf(expected);
                assertThat(probe.fireCount()).isEqualTo(3);
            } finally {
                Tools.run(PERF_TIMEOUT, "perf", "probe", "-d", "sdt_" + name + ":*");
                Tools.run(PERF_TIMEOUT, "perf", "buildid-cache", "--remove", object);
            }
        }
    }
}
