package io.github.dtraceprovider.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Platform;

/**
 * A second JVM on this JVM's class path, running a {@code main} class of the tests, for what one process cannot
 * show: two processes with the same provider, a process killed with SIGKILL, a JVM started with other system
 * properties and environment variables.
 *
 * <p>The child's stdin stays open while this object lives: a child that waits for end of input exits by itself
 * when the test JVM goes away, even if the test could not {@link #close()} it.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    private final List<String> command;
    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    /** Set by the stdout reader, under the stdout lock, once the child closed its stdout. */
    private boolean stdoutEnded;

    private ChildJvm(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = reader(process.getInputStream(), stdout, "child-stdout");
        this.stderrReader = reader(process.getErrorStream(), stderr, "child-stderr");
    }

    /**
     * Runs {@code mainClass} to its end in a JVM on this JVM's class path without the native library, where providers
     * are inert, as on an unsupported platform.
     */
    public static Tools.Result runWithoutNativeLibrary(Class<?> mainClass) {
        return Tools.run(Duration.ofSeconds(60), Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPathWithoutNativeLibrary(), mainClass.getName());
    }

    /**
     * This JVM's class path without the entry that holds the native library (the dtrace-native jar, or the native
     * module's classes directory).
     */
    private static String classPathWithoutNativeLibrary() {
        String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("dtraceprovider");
        URL library = ChildJvm.class.getClassLoader().getResource(resource);
        if (library == null) {
            throw new AssertionError(resource + " is not on the test class path");
        }
        String location;
        try {
            // jar:file:/...jar!/linux-x86-64/lib.so or file:/.../classes/linux-x86-64/lib.so
            String url = library.toString();
            location = url.startsWith("jar:")
                    ? Path.of(new URI(url.substring(4, url.indexOf("!/")))).toString()
                    : Path.of(library.toURI()).getParent().getParent().toString();
        } catch (URISyntaxException e) {
            throw new AssertionError("Cannot locate " + library, e);
        }
        List<String> classPath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> withoutNative = classPath.stream()
                .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(location))
                .toList();
        if (withoutNative.size() != classPath.size() - 1) {
            throw new AssertionError(location + " is not exactly one entry of " + classPath);
        }
        return String.join(File.pathSeparator, withoutNative);
    }

    /**
     * Starts {@code java [jvmOptions] mainClass [args]} with this JVM's class path and the given environment
     * changes (a null value removes the variable).
     */
    public static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment,
            String... args) {
        return start(List.of(), mainClass, jvmOptions, environment, args);
    }

    /**
     * Like {@link #start(Class, List, Map, String...)}, with the java command run by {@code launcher}, such as
     * {@code unshare --pid --fork}; {@link #pid()} is then the launcher's.
     */
    public static ChildJvm start(List<String> launcher, Class<?> mainClass, List<String> jvmOptions,
            Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        // as for the test JVM: Java 24+ warns when JNA loads native code unless this is granted
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            return new ChildJvm(command, builder.start());
        } catch (IOException e) {
            throw new AssertionError("Cannot start a child JVM: " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The pid, as this JVM sees it, of the process a launcher such as {@code unshare --fork} started: the child JVM,
     * where {@link #pid()} is the launcher's. Ask once the child has printed something, so that it surely exists.
     */
    public long launchedPid() {
        List<ProcessHandle> children = process.children().toList();
        if (children.size() != 1) {
            throw failure("Expected the launcher to have started one process, found " + children.size());
        }
        return children.get(0).pid();
    }

    /** Waits for the first stdout line that starts with {@code prefix} and returns the rest of it. */
    public String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            while (true) {
                for (String line : stdout) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length());
                    }
                }
                if (stdoutEnded) {
                    throw failure("The child JVM ended its output without a line starting with \"" + prefix + "\"");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw failure("No line starting with \"" + prefix + "\" within " + timeout);
                }
                try {
                    stdout.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted while waiting for the child JVM", e);
                }
            }
        }
    }

    /** SIGKILL: the child gets no chance to clean up. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Waits for the child to exit by itself and returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw failure("The child JVM did not exit within " + EXIT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("Interrupted while waiting for the child JVM", e);
        }
        join(stdoutReader);
        join(stderrReader);
        return process.exitValue();
    }

    /** Everything the child printed on stderr so far. */
    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** Closes the child's stdin, which asks it to finish, and kills it if it does not exit in time. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private Thread reader(InputStream stream, List<String> lines, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the stream closes when the child is killed
            } finally {
                synchronized (lines) {
                    stdoutEnded |= lines == stdout;
                    lines.notifyAll();
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(EXIT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private AssertionError failure(String what) {
        String out;
        synchronized (stdout) {
            out = String.join("\n", stdout);
        }
        List<String> shown = new ArrayList<>(command);
        shown.remove(System.getProperty("java.class.path"));
        return new AssertionError(what + "\ncommand: " + String.join(" ", shown)
                + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + stderr());
    }
}
