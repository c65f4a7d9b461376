package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * perf's events for the SDT probes of one object file, added the way the docs tell users to:
 * {@code perf buildid-cache --add OBJ}, {@code perf probe -x OBJ -a 'sdt_PROVIDER:PROBES'}, then each event redefined
 * in tracefs so that its string arguments are read as strings (perf reads every SDT argument as a number, and a string
 * is a pointer).
 *
 * <p>Events are global to the machine, and perf wants an event's name unique across all groups: a user's
 * {@code sdt_orders:order__placed} (or an {@code order__placed} of any group) makes a plain {@code perf probe -a
 * sdt_PROVIDER:order__placed} fail with "event already exists". perf 6.1 cannot name an SDT event itself
 * ({@code GROUP:EVENT=sdt_PROVIDER:PROBE} and {@code ...=%sdt_PROVIDER:PROBE} are syntax errors), so perf adds them
 * with {@code -f} (which names one {@code PROBE_1} when {@code PROBE} is taken), and the redefinition puts each in a
 * group of this instance's own, {@link #group()} ({@code dtptest_PID_N}), under its probe's note name. Only perf's
 * events named in its output and then this group are ever deleted, never {@code sdt_PROVIDER:*}; the build-id cache
 * entry is removed by this object's path, which no one else has.
 */
public final class PerfProbes implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger GROUPS = new AtomicInteger();
    /** An argument our notes mark unsigned ("8@%rsi") is a string pointer; signed ones ("-8@%rdi") are integers. */
    private static final Pattern POINTER_ARGUMENT = Pattern.compile("=(\\S+):u64");
    /** How perf probe reports an event it added: "  sdt_orders:order__placed_1 (on %order__placed in /tmp/...)". */
    private static final Pattern ADDED_EVENT = Pattern.compile("^\\s+(\\S+:\\S+)\\s+\\(on .*");
    /** A uprobe_events line: "p:GROUP/EVENT PATH:0xOFFSET(0xSEMAPHORE) ARGUMENTS". */
    private static final Pattern DEFINITION = Pattern.compile("p:(\\S+)/(\\S+) (\\S+):0x(\\p{XDigit}+)(\\S*)(.*)");
    /** An SDT note as readelf -n shows it: "Name: order__placed" then "Location: 0x0000000000000230, Base: ...". */
    private static final Pattern NOTE = Pattern.compile("Name: (\\S+)\\s+Location: 0x(\\p{XDigit}+)");
    private static final Pattern BUILD_ID = Pattern.compile("Build ID: (\\p{XDigit}+)");
    private static final List<Path> TRACEFS =
            List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private final String object;
    private final String group;
    /** perf's {@code --target-ns PID}, empty for an object in perf's own mount namespace. */
    private final List<String> targetNs;
    /** The object's path as the kernel resolves it from here. */
    private final String hostPath;
    /** The events perf itself added (before they were redefined in {@link #group}), by their full names. */
    private final List<String> perfEvents = new ArrayList<>();
    private Optional<String> buildId = Optional.empty();

    private PerfProbes(String object, long namespacePid) {
        this.object = object;
        this.group = "dtptest_" + ProcessHandle.current().pid() + "_" + GROUPS.incrementAndGet();
        this.targetNs = namespacePid == 0 ? List.of() : List.of("--target-ns", Long.toString(namespacePid));
        this.hostPath = namespacePid == 0 ? object : "/proc/" + namespacePid + "/root" + object;
    }

    /** Skips (or, on CI, fails) the test unless perf is installed and we are root. */
    public static void assumeAvailable() {
        Tools.assumeCommand("perf");
    }

    /**
     * Adds the events {@code GROUP:PROBE} (see {@link #event}) for the probes {@code sdt_PROVIDER:PROBES} of the
     * object ({@code PROBES} may be a glob such as {@code *}), with their string arguments read as strings.
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
        PerfProbes added = new PerfProbes(object, namespacePid);
        try {
            Tools.Result notes = Tools.runOk(TIMEOUT, "readelf", "-n", added.hostPath);
            Matcher id = BUILD_ID.matcher(notes.stdout());
            added.buildId = id.find() ? Optional.of(id.group(1)) : Optional.empty();
            // perf finds SDT notes through its build-id cache; it reports a failure only on stderr
            Tools.Result cached = Tools.runOk(TIMEOUT, added.perf("buildid-cache", "--add", object));
            if (cached.stderr().contains("Couldn't add")) {
                throw new AssertionError("perf buildid-cache --add needs a GNU build-id note in the object:\n"
                        + cached.describe());
            }
            Tools.Result probed = Tools.runOk(TIMEOUT,
                    added.perf("probe", "-f", "-x", object, "-a", "sdt_" + provider + ":" + probes));
            for (String line : (probed.stdout() + "\n" + probed.stderr()).lines().toList()) {
                Matcher event = ADDED_EVENT.matcher(line);
                if (event.matches()) {
                    added.perfEvents.add(event.group(1));
                }
            }
            if (added.perfEvents.isEmpty()) {
                throw new AssertionError("perf probe named no event it added:\n" + probed.describe());
            }
            added.redefineInOwnGroup(notes.stdout());
        } catch (RuntimeException | Error e) {
            added.close();
            throw e;
        }
        return added;
    }

    /** The group all of this instance's events are in, {@code dtptest_PID_N}: no one else's. */
    public String group() {
        return group;
    }

    /** The event of the probe whose note name is {@code probe}: {@code GROUP:probe}, for perf record and script. */
    public String event(String probe) {
        return group + ":" + probe;
    }

    /** The object's GNU build ID, in hex, as readelf shows it. */
    public String buildId() {
        return buildId.orElseThrow(() -> new AssertionError("No build ID in " + object));
    }

    /** Every event of this instance: {@code GROUP:*}. */
    public String allEvents() {
        return group + ":*";
    }

    /** The events' definitions in the kernel, one line each (what {@code uprobe_events} holds). */
    public List<String> definitions() {
        return uprobeEvents().stream().filter(line -> line.startsWith("p:" + group + "/")).toList();
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

    /** The event's hit count from uprobe_profile, whose lines read "PATH EVENT HITS" (the event without group). */
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
     * Deletes perf's events, each by its full name, and defines them again as {@code GROUP/NOTE_NAME} (the note found
     * at the event's offset, whatever suffix perf gave the event), with {@code +0(LOCATION):string} where perf wrote
     * {@code LOCATION:u64}, on the object's path as seen from here (the kernel follows {@code /proc/PID/root}).
     */
    private void redefineInOwnGroup(String notes) {
        Map<Long, String> noteAt = new HashMap<>();
        Matcher note = NOTE.matcher(notes);
        while (note.find()) {
            noteAt.put(Long.parseUnsignedLong(note.group(2), 16), note.group(1));
        }
        List<String> perfDefinitions = uprobeEvents().stream()
                .filter(line -> perfEvents.stream().anyMatch(event -> line.startsWith("p:" + event.replace(':', '/')
                        + " ")))
                .toList();
        List<String> added = List.copyOf(perfEvents);
        removePerfEvents();
        if (perfDefinitions.size() != added.size()) {
            throw new AssertionError("perf added " + added + " but uprobe_events holds " + perfDefinitions);
        }
        StringBuilder redefined = new StringBuilder();
        for (String definition : perfDefinitions) {
            Matcher parts = DEFINITION.matcher(definition);
            if (!parts.matches() || !parts.group(3).equals(object)) {
                throw new AssertionError("Not a definition on " + object + ": " + definition);
            }
            String name = noteAt.get(Long.parseUnsignedLong(parts.group(4), 16));
            if (name == null) {
                throw new AssertionError("No SDT note at the offset of " + definition + " in\n" + notes);
            }
            String arguments = POINTER_ARGUMENT.matcher(parts.group(6))
                    .replaceAll(match -> Matcher.quoteReplacement("=+0(" + match.group(1) + "):string"));
            redefined.append("p:").append(group).append('/').append(name).append(' ').append(hostPath).append(":0x")
                    .append(parts.group(4)).append(parts.group(5)).append(arguments).append('\n');
        }
        try {
            // APPEND: opening uprobe_events with O_TRUNC would delete every uprobe event of the machine
            Files.writeString(tracefs().resolve("uprobe_events"), redefined, StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("The kernel refused the uprobe events\n" + redefined + e, e);
        }
    }

    private void removePerfEvents() {
        for (String event : perfEvents) {
            Tools.run(TIMEOUT, "perf", "probe", "-d", event);
        }
        perfEvents.clear();
    }

    /**
     * Deletes this instance's events (those of its group only) and leaves the object in perf's build-id cache, as a
     * user's session that ends while the application goes on running.
     */
    public void removeEvents() {
        removePerfEvents();
        if (!definitions().isEmpty()) {
            Tools.run(TIMEOUT, "perf", "probe", "-d", allEvents());
        }
    }

    private static List<String> uprobeEvents() {
        try {
            return Files.readAllLines(tracefs().resolve("uprobe_events"));
        } catch (IOException e) {
            throw new AssertionError("Cannot read uprobe_events: " + e, e);
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

    /**
     * Removes the events, then the object from perf's build-id cache: {@code --purge}, which unlike {@code --remove}
     * works by path once the object is gone too (its process exited), and then the empty directories both leave
     * behind of the object's path and its build ID's.
     */
    @Override
    public void close() {
        removeEvents();
        Tools.run(TIMEOUT, perf("buildid-cache", "--purge", object));
        Path cache = Optional.ofNullable(System.getenv("PERF_BUILDID_DIR")).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".debug"));
        deleteEmptyDirectories(cache, cache.resolve(object.substring(1)));
        buildId.ifPresent(id -> deleteEmptyDirectories(cache, cache.resolve(".build-id").resolve(id.substring(0, 2))));
    }

    /** Deletes {@code dir} and its parents below {@code top} as long as they are empty. */
    private static void deleteEmptyDirectories(Path top, Path dir) {
        for (Path d = dir.normalize(); d.startsWith(top) && !d.equals(top); d = d.getParent()) {
            try {
                if (Files.isDirectory(d)) {
                    Files.delete(d);
                }
            } catch (IOException e) {
                return; // not empty (DirectoryNotEmptyException), or another tool's meanwhile
            }
        }
    }
}
