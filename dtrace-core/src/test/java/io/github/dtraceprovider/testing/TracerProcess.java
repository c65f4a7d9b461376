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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A tracer attached to a running process, run as a child process of the test and read line by line: the
 * machinery behind {@link Bpftrace} and other tracers that print one line once attached, then lines a test
 * waits for, until SIGINT.
 *
 * <p>The constructor returns once the tracer has printed a line that matches its ready pattern. Lines are
 * matched with {@link java.util.regex.Matcher#matches()}: a regex must match a whole line, and only the lines
 * that {@link #output()} returns count; it leaves out the tracer's own noise (a pattern the subclass gives,
 * which includes the ready line).
 */
public class TracerProcess implements AutoCloseable {

    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final List<String> command;
    private final Pattern ready;
    private final Pattern noise;
    private final Process process;
    /** Whether a launcher (such as nsenter) runs the tracer, which is then {@link #process} or its only child. */
    private final boolean launched;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile boolean attached;

    /**
     * Runs {@code command} and waits for a line (on stdout or stderr) that matches {@code ready}.
     *
     * @param name what the tracer is called in failure messages
     * @param noise stdout lines that {@link #output()} leaves out; it must match the ready line
     * @throws AssertionError with everything the tracer printed if it exits or does not attach within 30 s
     */
    protected TracerProcess(String name, List<String> command, Pattern ready, Pattern noise) {
        this(name, List.of(), command, Map.of(), ready, noise);
    }

    /**
     * Like {@link #TracerProcess(String, List, Pattern, Pattern)}, with these variables added to the tracer's
     * environment, and the tracer run by {@code launcher} (unless it is empty), such as {@code nsenter -t PID -m -p};
     * the launcher must exec the tracer or fork it as its only child, and {@link #stop()} signals the tracer itself
     * (nsenter passes no signal on).
     */
    protected TracerProcess(String name, List<String> launcher, List<String> command, Map<String, String> environment,
            Pattern ready, Pattern noise) {
        this.name = name;
        this.launched = !launcher.isEmpty();
        this.command = Stream.concat(launcher.stream(), command.stream()).toList();
        this.ready = ready;
        this.noise = noise;
        try {
            ProcessBuilder builder = new ProcessBuilder(this.command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            this.process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start " + name + ": " + e.getMessage(), e);
        }
        this.stdoutReader = reader(process.getInputStream(), stdout, name + "-stdout");
        this.stderrReader = reader(process.getErrorStream(), stderr, name + "-stderr");
        awaitAttached();
    }

    /** The stdout lines printed so far, without the tracer's noise. */
    public List<String> output() {
        synchronized (stdout) {
            return stdout.stream().filter(line -> !noise.matcher(line).matches()).toList();
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
                throw failure(name + " exited with " + process.exitValue() + " while waiting for /" + regex + "/");
            }
            if (action != null) {
                action.run();
            }
            waitForOutput(action != null ? 20 : 50);
        }
    }

    /** Stops the tracer with SIGINT, waits for it to exit and returns all its stdout lines without noise. */
    public List<String> stop() {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            // a tracer may lose a SIGINT that arrives while it is still attaching (bpftrace does): repeat it.
            while (process.isAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    kill();
                    throw failure(name + " did not exit within " + STOP_TIMEOUT + " of SIGINT");
                }
                Tools.interrupt(tracerPid());
                process.waitFor(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("Interrupted while stopping " + name, e);
        }
        joinReaders();
        return output();
    }

    /** The exit code, once stopped. */
    public int exitCode() {
        return process.exitValue();
    }

    /** Stops the tracer if it is still running. */
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
                throw failure(name + " exited with " + process.exitValue() + " before attaching");
            }
            if (System.nanoTime() - deadline > 0) {
                kill();
                joinReaders();
                throw failure(name + " did not attach within " + ATTACH_TIMEOUT);
            }
            waitForOutput(50);
        }
    }

    private long tracerPid() {
        return launched ? process.children().findFirst().map(ProcessHandle::pid).orElse(process.pid()) : process.pid();
    }

    /** SIGKILL to the tracer and to its launcher, if any. */
    private void kill() {
        if (launched) {
            process.children().forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                throw new AssertionError("Interrupted while waiting for " + name, e);
            }
        }
    }

    private Thread reader(InputStream stream, List<String> lines, String threadName) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    boolean readyLine = ready.matcher(line).matches();
                    synchronized (lines) {
                        lines.add(line);
                    }
                    // stdout is the lock and condition every waiter uses, whichever stream the line came from.
                    synchronized (stdout) {
                        attached |= readyLine;
                        stdout.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the stream closes when the tracer is killed: nothing more to read
            }
        }, threadName);
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
        return new AssertionError(what + "\ncommand: " + String.join(" ", command)
                + "\n--- stdout ---\n" + String.join("\n", out)
                + "\n--- stderr ---\n" + String.join("\n", err));
    }
}
