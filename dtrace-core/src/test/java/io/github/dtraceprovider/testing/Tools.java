package io.github.dtraceprovider.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs tracing tools (perf, tplist, readelf, ...) from tests.
 *
 * <p>The {@code assume...} methods skip a test when a tool or root is missing, except when the
 * environment variable {@code CI} is true ({@code true}, {@code 1} or {@code yes}, in any case, as CI services set
 * it): CI machines are set up with every tool, so a missing one there is a broken setup that must fail loudly rather
 * than turn tests into skips.
 */
public final class Tools {

    private static final Set<String> TRUE_VALUES = Set.of("true", "1", "yes");

    private Tools() {
    }

    /** The output of a finished command. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        /** Everything the command printed, for failure messages. */
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Skips (or, on CI, fails) the test unless {@code command} is on the PATH and we are root. */
    public static void assumeCommand(String command) {
        assumeCondition(findOnPath(command) != null, command + " is not installed (not found on PATH)");
        assumeRoot();
    }

    /** Skips (or, on CI, fails) the test unless the JVM runs as root, which attaching uprobes needs. */
    public static void assumeRoot() {
        assumeCondition(uid() == 0, "tracing needs root, but this JVM runs as uid " + uid());
    }

    /** Like {@link Assumptions#assumeTrue}, but fails instead when the environment variable CI is true. */
    public static void assumeCondition(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (isCi()) {
            throw new AssertionError("Required tracing tool missing on CI: " + reason);
        }
        Assumptions.assumeTrue(false, "Skipped: " + reason);
    }

    /** Runs a command to completion; fails the test with its output if it does not finish in time. */
    public static Result run(Duration timeout, String... command) {
        Path out = tempFile();
        Path err = tempFile();
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Result result = new Result(List.of(command), finished ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (!finished) {
                throw new AssertionError("Timed out after " + timeout + ": " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new AssertionError("Cannot run " + Arrays.toString(command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + Arrays.toString(command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs a command and fails the test with everything it printed unless it exits with 0. */
    public static Result runOk(Duration timeout, String... command) {
        Result result = run(timeout, command);
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
        return result;
    }

    /** Sends SIGINT, which perf and bpftrace take as "stop and write out what you have". */
    public static void interrupt(long pid) {
        run(Duration.ofSeconds(10), "kill", "-INT", Long.toString(pid));
    }

    /** True when the environment variable CI holds a true value. */
    static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && TRUE_VALUES.contains(ci.strip().toLowerCase(Locale.ROOT));
    }

    static String findOnPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    private static Path tempFile() {
        try {
            return Files.createTempFile("dtrace-tools-", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
