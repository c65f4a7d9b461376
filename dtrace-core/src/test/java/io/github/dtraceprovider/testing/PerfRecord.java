package io.github.dtraceprovider.testing;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf record -p PID} of some events in the background, writing {@code perf.data} in a test directory.
 *
 * <p>It starts with its events disabled and is enabled through a control FIFO; it prints "Events enabled" once they
 * are, and {@link #start} returns only then, so no fire is lost to a race with perf opening its events thread by
 * thread.
 */
public final class PerfRecord implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final Path data;

    private PerfRecord(Process process, Path log, Path data) {
        this.process = process;
        this.log = log;
        this.data = data;
    }

    /** Records {@code events} of process {@code pid} into {@code dir/perf.data}; returns once they are enabled. */
    public static PerfRecord start(Path dir, long pid, String... events) throws IOException {
        Path control = dir.resolve("control");
        Path log = dir.resolve("perf-record.log");
        Path data = dir.resolve("perf.data");
        Tools.runOk(TIMEOUT, "mkfifo", control.toString());
        List<String> command = new ArrayList<>(List.of("perf", "record"));
        for (String event : events) {
            command.add("-e");
            command.add(event);
        }
        command.addAll(List.of("-p", Long.toString(pid), "-o", data.toString(), "-D", "-1",
                "--control", "fifo:" + control));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PerfRecord record = new PerfRecord(process, log, data);
        try {
            record.awaitLog("Events disabled");
            // "rw" opens the FIFO without waiting for the other end
            try (RandomAccessFile fifo = new RandomAccessFile(control.toFile(), "rw")) {
                fifo.write("enable\n".getBytes(StandardCharsets.US_ASCII));
            }
            record.awaitLog("Events enabled");
        } catch (RuntimeException | Error | IOException e) {
            record.close();
            throw e;
        }
        return record;
    }

    /** Stops perf with SIGINT, which makes it write out what it has. */
    public void stop() throws InterruptedException {
        Tools.interrupt(process.pid());
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("perf record did not stop on SIGINT:\n" + readLog());
        }
    }

    /** Once stopped: {@code perf script} of what was recorded. */
    public Tools.Result script() {
        return Tools.runOk(TIMEOUT, "perf", "script", "-i", data.toString());
    }

    /**
     * The arguments of each hit of {@code event} in a {@link #script()}, whose lines read
     * {@code "java  1234 [001]  5.678: sdt_NAME:probe: (7f0123456789) arg1=1 arg2="text""}: what follows the address.
     */
    public static List<String> arguments(Tools.Result script, String event) {
        return script.stdoutLines().stream()
                .filter(line -> line.contains(" " + event + ": "))
                .map(line -> line.replaceFirst(".* " + event + ": \\(\\p{XDigit}+\\) ", ""))
                .toList();
    }

    private void awaitLog(String text) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!readLog().contains(text)) {
            if (!process.isAlive() && !readLog().contains(text)) {
                throw new AssertionError("perf record exited with " + process.exitValue() + ":\n" + readLog());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("perf record did not print \"" + text + "\" within " + TIMEOUT + ":\n"
                        + readLog());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for perf record", e);
            }
        }
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
