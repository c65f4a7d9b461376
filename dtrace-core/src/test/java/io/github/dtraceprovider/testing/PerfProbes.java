package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * perf's events for the SDT probes of one object file, added the way the docs tell users to:
 * {@code perf buildid-cache --add OBJ}, {@code perf probe -x OBJ -a 'sdt_PROVIDER:PROBES'}, then each event redefined
 * in tracefs so that its string arguments are read as strings (perf reads every SDT argument as a number, and a string
 * is a pointer). Events are global to the machine and perf wants event names unique across groups: name the provider
 * uniquely (the test JVM's pid in it), don't run two test suites that add the same probe names at once, and close
 * this to remove them.
 */
public final class PerfProbes implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** An argument our notes mark unsigned ("8@%rsi") is a string pointer; signed ones ("-8@%rdi") are integers. */
    private static final Pattern POINTER_ARGUMENT = Pattern.compile("=(\\S+):u64");
    private static final List<Path> TRACEFS =
            List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private final String object;
    private final String provider;
    /** perf's {@code --target-ns PID}, empty for an object in perf's own mount namespace. */
    private final List<String> targetNs;
    /** The object's path as the kernel resolves it from here. */
    private final String hostPath;

    private PerfProbes(String object, String provider, long namespacePid) {
        this.object = object;
        this.provider = provider;
        this.targetNs = namespacePid == 0 ? List.of() : List.of("--target-ns", Long.toString(namespacePid));
        this.hostPath = namespacePid == 0 ? object : "/proc/" + namespacePid + "/root" + object;
    }

    /** Skips (or, on CI, fails) the test unless perf is installed and we are root. */
    public static void assumeAvailable() {
        Tools.assumeCommand("perf");
    }

    /**
     * Adds the events {@code sdt_PROVIDER:PROBES} of the object ({@code PROBES} may be a glob such as {@code *}) with
     * their string arguments read as strings.
     */
    public static PerfProbes add(Path object, String provider, String probes) {
        return add(object.toString(), 0, provider, probes);
    }

    /**
     * Like {@link #add(Path, String, String)} for an object at {@code object} in the mount namespace of process
     * {@code pid} (a container's): perf 6.1 cannot open {@code /proc/PID/root/...}, so it is given the path inside
     * and {@code --target-ns PID}.
     */
    public static PerfProbes addInMountNamespaceOf(long pid, String object, String provider, String probes) {
        return add(object, pid, provider, probes);
    }

    private static PerfProbes add(String object, long namespacePid, String provider, String probes) {
        PerfProbes added = new PerfProbes(object, provider, namespacePid);
        // perf finds SDT notes through its build-id cache; it reports a failure only on stderr
        Tools.Result cached = Tools.runOk(TIMEOUT, added.perf("buildid-cache", "--add", object));
        if (cached.stderr().contains("Couldn't add")) {
            throw new AssertionError("perf buildid-cache --add needs a GNU build-id note in the object:\n"
                    + cached.describe());
        }
        try {
            Tools.runOk(TIMEOUT, added.perf("probe", "-x", object, "-a", "sdt_" + provider + ":" + probes));
            added.readStringsAsStrings();
        } catch (RuntimeException | Error e) {
            added.close();
            throw e;
        }
        return added;
    }

    /** The events' definitions in the kernel, one line each (what {@code uprobe_events} holds). */
    public List<String> definitions() {
        try {
            return Files.readAllLines(tracefs().resolve("uprobe_events")).stream()
                    .filter(line -> line.startsWith("p:sdt_" + provider + "/"))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("Cannot read uprobe_events: " + e, e);
        }
    }

    /** Waits until the kernel has counted {@code count} more hits of the event {@code probe} than now. */
    public void awaitHits(String probe, long count) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long target = hits(probe) + count;
        while (hits(probe) < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(probe + " was not hit " + count + " more times within " + TIMEOUT);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting for hits of " + probe, e);
            }
        }
    }

    /** The event's hit count from uprobe_profile, whose lines read "PATH EVENT HITS". */
    private long hits(String probe) {
        Path profile = tracefs().resolve("uprobe_profile");
        try {
            return Files.readAllLines(profile).stream().map(line -> line.strip().split("\\s+"))
                    .filter(fields -> fields.length == 3 && fields[0].equals(hostPath) && fields[1].equals(probe))
                    .mapToLong(fields -> Long.parseLong(fields[2])).findFirst()
                    .orElseThrow(() -> new AssertionError("No " + hostPath + " " + probe + " in " + profile));
        } catch (IOException e) {
            throw new AssertionError("Cannot read " + profile + ": " + e, e);
        }
    }

    /**
     * Redefines each event with {@code +0(LOCATION):string} where perf wrote {@code LOCATION:u64}, on the object's
     * path as seen from here (the kernel follows {@code /proc/PID/root}).
     */
    private void readStringsAsStrings() {
        List<String> definitions = definitions();
        Tools.runOk(TIMEOUT, "perf", "probe", "-d", "sdt_" + provider + ":*");
        StringBuilder redefined = new StringBuilder();
        for (String definition : definitions) {
            String onHostPath = definition.replace(" " + object + ":", " " + hostPath + ":");
            redefined.append(POINTER_ARGUMENT.matcher(onHostPath).replaceAll(
                    match -> Matcher.quoteReplacement("=+0(" + match.group(1) + "):string"))).append('\n');
        }
        try {
            // APPEND: opening uprobe_events with O_TRUNC would delete every uprobe event of the machine
            Files.writeString(tracefs().resolve("uprobe_events"), redefined, StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("The kernel refused the uprobe events\n" + redefined + e, e);
        }
    }

    private String[] perf(String... arguments) {
        List<String> command = new ArrayList<>(List.of("perf", arguments[0]));
        command.addAll(targetNs);
        command.addAll(List.of(arguments).subList(1, arguments.length));
        return command.toArray(String[]::new);
    }

    private static Path tracefs() {
        // perf mounts tracefs when it adds a probe
        return TRACEFS.stream().filter(dir -> Files.exists(dir.resolve("uprobe_events"))).findFirst()
                .orElseThrow(() -> new AssertionError("tracefs is not mounted at " + TRACEFS));
    }

    /** Removes the events and the object from perf's build-id cache. */
    @Override
    public void close() {
        Tools.run(TIMEOUT, "perf", "probe", "-d", "sdt_" + provider + ":*");
        Tools.run(TIMEOUT, perf("buildid-cache", "--remove", object));
    }
}
