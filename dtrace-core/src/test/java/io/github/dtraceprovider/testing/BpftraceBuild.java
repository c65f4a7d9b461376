package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

/**
 * The bpftrace builds that tracer tests run against: the one on the PATH (Debian 12's 0.17 on CI), and those of
 * Debian 13 and of Debian's development suite, which {@code bpftrace-from-debian.sh} (beside this class in the test
 * resources) fetches from the machine's own Debian mirror into a cache, without installing anything.
 *
 * <p>A build is looked up, and fetched if needed, once per JVM, the first time a test asks for it. Tests call
 * {@link #assumeAvailable()} first: it skips the test when the build cannot run here, and fails it under
 * {@code CI=true}.
 */
public enum BpftraceBuild {

    /** {@code bpftrace} on the PATH. */
    SYSTEM("bpftrace on the PATH", null),
    /** Debian 13's bpftrace (0.23), whose USDT arguments stop at {@code arg5} on x86-64, like 0.17's. */
    DEBIAN_13("Debian 13 (trixie) bpftrace", "trixie"),
    /** The bpftrace of Debian's development suite: the matrix's build of 0.24 or later, which reads all 12. */
    DEBIAN_SID("Debian sid bpftrace", "sid");

    /** A bpftrace version, as {@code bpftrace --version} prints it ({@code bpftrace v0.23.2}). */
    public record Version(int major, int minor, int patch) {

        private static final Pattern PRINTED = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
        private static final Comparator<Version> ORDER = Comparator.comparingInt(Version::major)
                .thenComparingInt(Version::minor).thenComparingInt(Version::patch);

        static Version parse(String printed) {
            Matcher matcher = PRINTED.matcher(printed);
            if (!matcher.find()) {
                throw new IllegalArgumentException("no version in \"" + printed.strip() + "\"");
            }
            return new Version(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3)));
        }

        public boolean atLeast(Version other) {
            return ORDER.compare(this, other) >= 0;
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /** What looking a build up found: its command and version, or why it cannot run here. */
    private record Found(List<String> command, Version version, String problem) {
    }

    private static final String FETCH_SCRIPT = "bpftrace-from-debian.sh";
    private static final List<String> SCRIPTS = List.of(FETCH_SCRIPT, "debian-unpack.sh", "debian-sources.sh");
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    private static final Map<BpftraceBuild, Found> FOUND = new EnumMap<>(BpftraceBuild.class);

    private final String description;
    private final String debianSuite;

    BpftraceBuild(String description, String debianSuite) {
        this.description = description;
        this.debianSuite = debianSuite;
    }

    /**
     * Skips the test (fails it when env CI=true) unless we are root and this build runs here, fetching it first if
     * it comes from Debian.
     */
    public void assumeAvailable() {
        // The kernel guests (vm/guest-suite) have no network to fetch builds with: they run their suite's own.
        String builds = System.getProperty("dtrace.test.bpftraceBuilds");
        Assumptions.assumeTrue(builds == null || Arrays.asList(builds.split(",")).contains(name()),
                () -> this + " is not part of this run (dtrace.test.bpftraceBuilds=" + builds + ")");
        Tools.assumeRoot();
        Found found = found();
        Tools.assumeCondition(found.problem() == null, found.problem());
    }

    /** The command that runs this build, followed by {@code args}. */
    public List<String> command(String... args) {
        List<String> command = new ArrayList<>(available().command());
        command.addAll(List.of(args));
        return command;
    }

    public Version version() {
        return available().version();
    }

    /** Every build with its version, or why it is missing, for messages: "bpftrace on the PATH 0.17.0, ...". */
    public static String versionsFound() {
        return Arrays.stream(values()).map(build -> {
            Found found = build.found();
            return build + " " + (found.problem() == null ? found.version() : "(" + found.problem() + ")");
        }).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return description;
    }

    private Found available() {
        Found found = found();
        if (found.problem() != null) {
            throw new AssertionError(found.problem());
        }
        return found;
    }

    private Found found() {
        synchronized (FOUND) {
            return FOUND.computeIfAbsent(this, BpftraceBuild::lookUp);
        }
    }

    private Found lookUp() {
        String executable;
        if (debianSuite == null) {
            executable = Tools.findOnPath("bpftrace");
            if (executable == null) {
                return missing("bpftrace is not installed (not found on PATH)");
            }
        } else {
            Tools.Result fetch;
            try {
                fetch = Tools.run(FETCH_TIMEOUT, "bash", fetchScript().toString(), debianSuite);
            } catch (AssertionError timedOut) {
                return missing("cannot fetch " + this + ": " + timedOut.getMessage().lines().findFirst().orElse(""));
            }
            if (fetch.exitCode() != 0) {
                List<String> said = fetch.stderr().lines().toList();
                return missing("cannot fetch " + this + ": "
                        + (said.isEmpty() ? "exit code " + fetch.exitCode() : said.get(said.size() - 1)));
            }
            executable = fetch.stdout().strip();
        }
        Tools.Result printed = Tools.run(VERSION_TIMEOUT, executable, "--version");
        try {
            return new Found(List.of(executable), Version.parse(printed.stdout()), null);
        } catch (IllegalArgumentException e) {
            return missing(this + " does not tell its version: " + printed.describe());
        }
    }

    private static Found missing(String problem) {
        return new Found(null, null, problem);
    }

    /**
     * The script is a resource of the test-jar, so that other modules' tests run it too: copied out to be run, with
     * debian-unpack.sh and debian-sources.sh (from vm/), which it runs from its own directory.
     */
    private static Path fetchScript() {
        try {
            Path directory = Files.createTempDirectory("bpftrace-from-debian-");
            // Deleted at exit in the reverse order of these calls: the scripts first, then their directory.
            directory.toFile().deleteOnExit();
            for (String name : SCRIPTS) {
                try (InputStream script = BpftraceBuild.class.getResourceAsStream(name)) {
                    if (script == null) {
                        throw new AssertionError(name + " is missing from the test class path");
                    }
                    Path copy = directory.resolve(name);
                    Files.copy(script, copy, StandardCopyOption.REPLACE_EXISTING);
                    copy.toFile().setExecutable(true);
                    copy.toFile().deleteOnExit();
                }
            }
            return directory.resolve(FETCH_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
