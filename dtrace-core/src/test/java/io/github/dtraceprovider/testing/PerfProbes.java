package io.github.dtraceprovider.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * perf's events for the SDT probes of one object file, the way the docs tell users to add them:
 * {@code perf buildid-cache --add OBJ}, {@code perf probe -x OBJ -a 'sdt_PROVIDER:PROBES'}, then every string argument
 * redefined to be read as a string (perf reads every argument as a number, and a string is a pointer). Events are
 * global to the machine: name the provider uniquely (the test JVM's pid in it) and close this to remove them.
 */
public final class PerfProbes implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** An argument our notes mark unsigned ("8@%rsi") is a string pointer; signed ones ("-8@%rdi") are integers. */
    private static final Pattern POINTER_ARGUMENT = Pattern.compile("=(\\S+):u64");
    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private final String object;
    private final String provider;

    private PerfProbes(String object, String provider) {
        this.object = object;
        this.provider = provider;
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
        PerfProbes added = new PerfProbes(object.toString(), provider);
        // perf finds SDT notes through its build-id cache; it reports a failure only on stderr
        Tools.Result cached = Tools.runOk(TIMEOUT, "perf", "buildid-cache", "--add", added.object);
        if (cached.stderr().contains("Couldn't add")) {
            throw new AssertionError("perf buildid-cache --add needs a GNU build-id note in the object:\n"
                    + cached.describe());
        }
        try {
            Tools.runOk(TIMEOUT, "perf", "probe", "-x", added.object, "-a", "sdt_" + provider + ":" + probes);
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

    /** Redefines each event with {@code +0(LOCATION):string} where perf wrote {@code LOCATION:u64}. */
    private void readStringsAsStrings() {
        List<String> definitions = definitions();
        Tools.runOk(TIMEOUT, "perf", "probe", "-d", "sdt_" + provider + ":*");
        StringBuilder redefined = new StringBuilder();
        for (String definition : definitions) {
            redefined.append(POINTER_ARGUMENT.matcher(definition).replaceAll(
                    match -> Matcher.quoteReplacement("=+0(" + match.group(1) + "):string"))).append('\n');
        }
        try {
            Files.writeString(tracefs().resolve("uprobe_events"), redefined, StandardCharsets.US_ASCII,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("Cannot write uprobe_events:\n" + redefined + e, e);
        }
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
        Tools.run(TIMEOUT, "perf", "buildid-cache", "--remove", object);
    }
}
