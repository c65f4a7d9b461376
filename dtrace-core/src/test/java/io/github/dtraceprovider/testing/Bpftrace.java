package io.github.dtraceprovider.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A bpftrace process attached to a running JVM, for tests.
 *
 * <pre>{@code
 * Bpftrace.assumeAvailable();
 * try (Bpftrace bpftrace = Bpftrace.attach(ProcessHandle.current().pid(),
 *         "usdt::myprov:myprobe { printf(\"%d\\n\", arg0); }")) {
 *     bpftrace.awaitLine("42", Duration.ofSeconds(10), () -> probe.fire(() -> new Object[] {42}));
 * }
 * }</pre>
 *
 * <p>{@link #attach} returns once bpftrace has printed its "Attaching N probes" line. Lines are matched
 * with {@link java.util.regex.Matcher#matches()}: a regex must match a whole line, and only the lines that
 * {@link #output()} returns count; it leaves out bpftrace's own noise (the attach line, the harmless
 * RLIMIT_MEMLOCK warning and blank lines).
 *
 * <p>bpftrace prints that line just before it attaches, so a fire right after {@link #attach} may still be
 * missed: fire repeatedly until the expected line arrives (the {@code Runnable} variants of
 * {@link #awaitLine} do that), or for USDT probes wait until {@code Probe.isEnabled()}, which turns true
 * once the probe is attached. bpftrace's {@code printf("%d")} prints 32 bits: use {@code %ld} for 64-bit
 * values.
 */
public final class Bpftrace implements AutoCloseable {

    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ATTACHED = Pattern.compile("Attaching \\d+ probes?\\.\\.\\..*");
    /** bpftrace's own lines: the attach line, the RLIMIT_MEMLOCK warning, blank lines around map dumps. */
    private static final Pattern NOISE = Pattern.compile(
            "Attaching \\d+ probes?\\.\\.\\..*|.*RLIMIT_MEMLOCK.*|\\s*", Pattern.CASE_INSENSITIVE);

    private final String program;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile boolean attached;

    private Bpftrace(String program, Process process) {
        this.program = program;
        this.process = process;
        this.stdoutReader = reader(process.getInputStream(), stdout, "bpftrace-stdout");
        this.stderrReader = reader(process.getErrorStream(), stderr, "bpftrace-stderr");
    }

    /** Skips the test (fails it when env CI is true) unless bpftrace is installed and we are root. */
    public static void assumeAvailable() {
        Tools.assumeCommand("bpftrace");
    }

    /**
     * Runs {@code bpftrace -p pid -e program} and waits for its "Attaching" line.
     *
     * @throws AssertionError with everything bpftrace printed if it exits or does not attach within 30 s
     */
    public static Bpftrace attach(long pid, String program) {
        Process process;
        try {
            // -B none: no stdio buffering, so every printf reaches us at once.
            process = new ProcessBuilder("bpftrace", "-B", "none", "-p", Long.toString(pid), "-e", program)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start bpftrace: " + e.getMessage(), e);
        }
        Bpftrace bpftrace = new Bpftrace(program, process);
        bpftrace.awaitAttached();
        return bpftrace;
    }

    /** The stdout lines printed so far, without bpftrace's noise. */
    public List<String> output() {
        synchronized (stdout) {
            return stdout.stream().filter(line -> !NOISE.matcher(line).matches()).toList();
        }
    }

    /** Waits for the first stdout line that matches {@code regex} and returns it. */
    public String awaitLine(String regex, Duration timeout) {
        return awaitLines(regex, 1, timeout, null).get(0);
    }

    /**
     * Like {@link #awaitLine(String, Duration)}, but runs {@code action} (typically: fire a probe) over and
     * over while waiting, so that a test does not depend on the exact moment a probe becomes live.
     */
    public String awaitLine(String regex, Duration timeout, Runnable action) {
        return awaitLines(regex, 1, timeout, action).get(0);
    }

    /** Waits until {@code count} stdout lines match {@code regex} and returns the first {@code count} of them. */
    public List<String> awaitLines(String regex, int count, Duration timeout) {
        return awaitLines(regex, count, timeout, null);
    }

    /** Like {@link #awaitLines(String, int, Duration)}, running {@code action} repeatedly while waiting. */
    public List<String> awaitLines(String regex, int count, Duration timeout, Runnable action) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> matching = matching(pattern);
            if (matching.size() >= count) {
                return matching.subList(0, count);
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("Expected " + count + " line(s) matching /" + regex + "/ within " + timeout
                        + ", got " + matching.size());
            }
            if (!process.isAlive()) {
                joinReaders();
                if (matching(pattern).size() >= count) {
                    continue;
                }
                throw failure("bpftrace exited with " + process.exitValue() + " while waiting for /" + regex + "/");
            }
            if (action != null) {
                action.run();
            }
            waitForOutput(action != null ? 20 : 50);
        }
    }

    /** Stops bpftrace with SIGINT, waits for it to exit and returns all its stdout lines (with map dumps). */
    public List<String> stop() {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            // bpftrace loses a SIGINT that arrives while it is still attaching: repeat it until it exits.
            while (process.isAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw failure("bpftrace did not exit within " + STOP_TIMEOUT + " of SIGINT");
                }
                Tools.interrupt(process.pid());
                process.waitFor(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("Interrupted while stopping bpftrace", e);
        }
        joinReaders();
        return output();
    }

    /** The exit code, once stopped. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Stops bpftrace if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    private void awaitAttached() {
        long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
        while (!attached) {
            if (!process.isAlive()) {
                joinReaders();
                if (attached) {
                    break;
                }
                throw failure("bpftrace exited with " + process.exitValue() + " before attaching");
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                joinReaders();
                throw failure("bpftrace did not attach within " + ATTACH_TIMEOUT);
            }
            waitForOutput(50);
        }
    }

    private List<String> matching(Pattern pattern) {
        return output().stream().filter(line -> pattern.matcher(line).matches()).toList();
    }

    private void waitForOutput(long millis) {
        synchronized (stdout) {
            try {
                stdout.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for bpftrace", e);
            }
        }
    }

    private Thread reader(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    boolean attachLine = ATTACHED.matcher(line).matches();
                    synchronized (lines) {
                        lines.add(line);
                    }
                    // stdout is the lock and condition every waiter uses, whichever stream the line came from.
                    synchronized (stdout) {
                        attached |= attachLine;
                        stdout.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the stream closes when bpftrace is killed: nothing more to read
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void joinReaders() {
        try {
            stdoutReader.join(STOP_TIMEOUT.toMillis());
            stderrReader.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private AssertionError failure(String what) {
        List<String> out;
        List<String> err;
        synchronized (stdout) {
            out = List.copyOf(stdout);
        }
        synchronized (stderr) {
            err = List.copyOf(stderr);
        }
        return new AssertionError(what + "\nprogram: " + program
                + "\n--- stdout ---\n" + String.join("\n", out)
                + "\n--- stderr ---\n" + String.join("\n", err));
    }
}
