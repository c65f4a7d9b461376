package io.github.dtraceprovider.core;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
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
                Path data = dir.resolve("perf.data");
                try (PerfRecord record = new PerfRecord(event, data)) {
                    await("perf increments the semaphore", probe::isEnabled);
                    for (long i = 1; i <= 3; i++) {
                        long first = i;
                        probe.fire(() -> new Object[] {first, -2, 3, Long.MIN_VALUE, Long.MAX_VALUE, 6, 7, 8, 9,
                                10, -11, 12L * first});
                    }
                    record.stop();
                }
                Tools.Result script = Tools.runOk(PERF_TIMEOUT, "perf", "script", "-i", data.toString());
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

    /**
     * {@code perf record -p PID} in the background. It starts with its events disabled and is enabled
     * through a control FIFO; it prints "Events enabled" once they are, so no fire is lost to a race with
     * perf opening its events thread by thread.
     */
    private final class PerfRecord implements AutoCloseable {

        private final Process process;
        private final Path log;

        PerfRecord(String event, Path data) throws Exception {
            Path control = dir.resolve("control");
            log = dir.resolve("perf-record.log");
            Tools.runOk(TIMEOUT, "mkfifo", control.toString());
            process = new ProcessBuilder("perf", "record", "-e", event, "-p", Long.toString(PID),
                    "-o", data.toString(), "-D", "-1", "--control", "fifo:" + control)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitLog("Events disabled");
            // "rw" opens the FIFO without waiting for the other end
            try (RandomAccessFile fifo = new RandomAccessFile(control.toFile(), "rw")) {
                fifo.write("enable\n".getBytes(StandardCharsets.US_ASCII));
            }
            awaitLog("Events enabled");
        }

        void stop() throws Exception {
            Tools.interrupt(process.pid());
            if (!process.waitFor(PERF_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("perf record did not stop on SIGINT:\n" + readLog());
            }
        }

        private void awaitLog(String text) {
            await("perf record prints \"" + text + "\"", () -> {
                if (!process.isAlive() && !readLog().contains(text)) {
                    throw new AssertionError("perf record exited with " + process.exitValue() + ":\n" + readLog());
                }
                return readLog().contains(text);
            });
        }

        private String readLog() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
