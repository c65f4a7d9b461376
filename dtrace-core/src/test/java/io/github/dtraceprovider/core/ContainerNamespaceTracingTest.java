package io.github.dtraceprovider.core;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.await;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM in a Kubernetes pod runs in mount and PID namespaces of its own, usually with its own {@code /tmp}: its object
 * file lies at a path the node does not see, under a pid the node does not know. Here the child JVM gets exactly that
 * from {@code unshare} and a tmpfs on /tmp, fires {@code tick(its pid, its object's path)} every millisecond, and is
 * traced from the host by host pid (bpftrace, perf), from inside its namespaces, and from a tracer that shares only
 * its PID namespace (a sidecar). docs/kubernetes.md tells users what this shows.
 */
class ContainerNamespaceTracingTest {

    /** A pod's container as far as tracing goes: its own mount and PID namespaces, /proc and tmpfs on /tmp. */
    private static final List<String> POD = List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
            "--mount-proc", "sh", "-c", "mount -t tmpfs tmpfs /tmp && exec \"$@\"", "sh");
    private static final Duration PERF_TIMEOUT = Duration.ofSeconds(60);
    private static final String PROGRAM = "usdt::%s:tick { printf(\"%%ld %%s\\n\", arg0, str(arg1)); }";

    @TempDir
    Path dir;

    private String provider;
    private ChildJvm jvm;
    /** The JVM's pid on the host, in its namespace, and its object's path in its mount namespace. */
    private long hostPid;
    private long podPid;
    private String object;

    @BeforeEach
    void startJvmInNamespacesOfItsOwn() {
        Tools.assumeCommand("unshare");
        Tools.assumeCondition(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .noneMatch(entry -> Path.of(entry).toAbsolutePath().startsWith("/tmp")),
                "the class path lies under /tmp, which the child JVM's private /tmp hides from it");
        // perf events are global to the machine: the test JVM's pid keeps concurrent runs apart
        provider = uniqueName("pod" + PID + "n");
        // the object goes where a pod's JVM puts it by default: java.io.tmpdir, the private /tmp
        jvm = ChildJvm.start(POD, ProviderChild.class, List.of(), Collections.singletonMap("DTRACE_PROVIDER_DIR", null),
                provider, "default");
        object = jvm.awaitLine("OBJECT ", TIMEOUT);
        podPid = Long.parseLong(jvm.awaitLine("PID ", TIMEOUT));
        hostPid = jvm.launchedPid();
    }

    @AfterEach
    void stopJvm() {
        if (jvm != null) {
            jvm.close();
        }
    }

    @Test
    void theObjectIsVisibleFromTheHostOnlyThroughProcPidRoot() throws IOException {
        assertThat(object).startsWith("/tmp/");
        assertThat(Path.of(object)).as("the object at its path inside the JVM's mount namespace, seen from the host")
                .doesNotExist();
        assertThat(Path.of("/proc/" + hostPid + "/root" + object)).isRegularFile();
        assertThat(Files.readAllLines(Path.of("/proc/" + hostPid + "/status")))
                .as("the JVM's pids from the host's PID namespace inward")
                .contains("NSpid:\t" + hostPid + "\t" + podPid);
    }

    @Test
    void bpftraceOnTheHostTracesByHostPid() {
        Bpftrace.assumeAvailable();
        try (Bpftrace bpftrace = Bpftrace.attach(hostPid, PROGRAM.formatted(provider))) {
            bpftrace.awaitLines(podPid + " " + Pattern.quote(object), 3, TIMEOUT);
        }
    }

    @Test
    void bpftraceInsideTheJvmsNamespacesTracesByItsPidThere() {
        Bpftrace.assumeAvailable();
        Tools.assumeCommand("nsenter");
        // what `kubectl exec` into the JVM's container gives: its mount and PID namespaces (nsenter forks for --pid)
        List<String> inside = List.of("nsenter", "--target", Long.toString(hostPid), "--mount", "--pid");
        try (Bpftrace bpftrace = Bpftrace.attach(inside, podPid, PROGRAM.formatted(provider))) {
            bpftrace.awaitLines(podPid + " " + Pattern.quote(object), 3, TIMEOUT);
        }
    }

    @Test
    void bpftraceSharingOnlyThePidNamespaceTracesByItsPidThere() {
        Bpftrace.assumeAvailable();
        Tools.assumeCommand("nsenter");
        // a sidecar with shareProcessNamespace, or an ephemeral debug container: the JVM's PID namespace with a /proc
        // of it, but a mount namespace (and /tmp) of its own, so bpftrace must open the object through /proc/PID/root
        List<String> sidecar = List.of("nsenter", "--target", Long.toString(hostPid), "--pid",
                "unshare", "--mount", "--mount-proc");
        try (Bpftrace bpftrace = Bpftrace.attach(sidecar, podPid, PROGRAM.formatted(provider))) {
            bpftrace.awaitLines(podPid + " " + Pattern.quote(object), 3, TIMEOUT);
        }
    }

    /**
     * perf 6.1 turns {@code -x /proc/PID/root/tmp/...} into the host's {@code /tmp/...} (it resolves the path, and
     * /proc/PID/root reads as "/") and fails, so its {@code --target-ns PID} opens the object inside the JVM's mount
     * namespace instead. It types SDT arguments as integers and takes none of its own for an SDT event, so a string
     * is read through a uprobe event written to tracefs at the same place, with a {@code :string} argument; the
     * kernel does follow {@code /proc/PID/root}.
     */
    @Test
    void perfOnTheHostTracesByHostPidThroughTheJvmsMountNamespace() throws Exception {
        Tools.assumeCommand("perf");
        String group = "sdt_" + provider;
        String targetNs = Long.toString(hostPid);
        try {
            Tools.Result cached = Tools.runOk(PERF_TIMEOUT, "perf", "buildid-cache", "--target-ns", targetNs,
                    "--add", object);
            assertThat(cached.stderr()).as(cached.describe()).doesNotContain("Couldn't add");
            // perf probe wants event names unique across groups: -f names it tick_1 while another run has a tick
            Tools.runOk(PERF_TIMEOUT, "perf", "probe", "--target-ns", targetNs, "-x", object, "-f",
                    "-a", group + ":tick");
            PerfTick perfTick = PerfTick.find(group);
            String tick = group + ":" + perfTick.name();
            String tickObject = group + ":tick_object";
            addStringEvent(perfTick, tickObject);
            Tools.Result script;
            try (PerfRecord record = PerfRecord.start(dir, hostPid, tick, tickObject)) {
                awaitHits(3, object, perfTick.name());
                awaitHits(3, "/proc/" + hostPid + "/root" + object, "tick_object");
                record.stop();
                script = record.script();
            }
            // "tick  1234 [001]  5.678:  sdt_NAME:tick: (7f0123456789) arg1=1 arg2=140234567890"
            assertThat(arguments(script, tick)).as(script.describe()).isNotEmpty()
                    .allMatch(arguments -> arguments.matches("arg1=" + podPid + " arg2=\\d+"));
            assertThat(arguments(script, tickObject)).as(script.describe()).isNotEmpty()
                    .containsOnly("pid=" + podPid + " object=\"" + object + "\"");
        } finally {
            Tools.run(PERF_TIMEOUT, "perf", "probe", "-d", group + ":*");
            Tools.run(PERF_TIMEOUT, "perf", "buildid-cache", "--target-ns", targetNs, "--remove", object);
        }
    }

    /**
     * The uprobe event perf probe made of the SDT note, as uprobe_events lists it: {@code p:GROUP/NAME
     * /tmp/X.so:0x220(0x1070) arg1=%di:s64 arg2=%si:u64}, where 0x220 is the probe's offset in the file, 0x1070 its
     * semaphore's, and the arguments are in registers di and si.
     */
    private record PerfTick(String name, String location, String pidRegister, String objectRegister) {

        static PerfTick find(String group) throws IOException {
            Pattern line = Pattern.compile("p:" + group + "/(\\w+) (\\S+) arg1=(%\\w+):s64 arg2=(%\\w+):u64");
            List<String> events = Files.readAllLines(uprobeEvents());
            Matcher matcher = events.stream().map(line::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError("No line /" + line + "/ in " + uprobeEvents() + ":\n"
                            + String.join("\n", events)));
            return new PerfTick(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
        }
    }

    /** Adds {@code event} at the same place as perf's, on {@code /proc/PID/root/...}, reading a string argument. */
    private void addStringEvent(PerfTick perfTick, String event) {
        String definition = "p:" + event.replace(':', '/') + " /proc/" + hostPid + "/root" + perfTick.location()
                + " pid=" + perfTick.pidRegister() + ":s64 object=+0(" + perfTick.objectRegister() + "):string\n";
        try {
            // APPEND: opening uprobe_events with O_TRUNC would delete every uprobe event of the machine
            Files.writeString(uprobeEvents(), definition, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("The kernel refused the uprobe event " + definition.strip() + ": " + e, e);
        }
    }

    /** Waits until the kernel counted {@code count} more hits of the uprobe event than now. */
    private static void awaitHits(long count, String path, String event) {
        long start = hits(path, event);
        await(count + " more hits of " + event, () -> hits(path, event) >= start + count);
    }

    /** The event's hit count from uprobe_profile, whose lines read "PATH EVENT HITS". */
    private static long hits(String path, String event) {
        Path profile = tracefs().resolve("uprobe_profile");
        try {
            return Files.readAllLines(profile).stream().map(line -> line.strip().split("\\s+"))
                    .filter(fields -> fields.length == 3 && fields[0].equals(path) && fields[1].equals(event))
                    .mapToLong(fields -> Long.parseLong(fields[2])).findFirst()
                    .orElseThrow(() -> new AssertionError("No " + path + " " + event + " in " + profile));
        } catch (IOException e) {
            throw new AssertionError("Cannot read " + profile + ": " + e, e);
        }
    }

    /** perf mounts tracefs on /sys/kernel/tracing, or finds it under debugfs on older systems. */
    private static Path tracefs() {
        Path tracing = Path.of("/sys/kernel/tracing");
        return Files.exists(tracing.resolve("uprobe_events")) ? tracing : Path.of("/sys/kernel/debug/tracing");
    }

    private static Path uprobeEvents() {
        return tracefs().resolve("uprobe_events");
    }

    private static List<String> arguments(Tools.Result script, String event) {
        return script.stdoutLines().stream()
                .filter(line -> line.contains(" " + event + ": "))
                .map(line -> line.replaceFirst(".* " + event + ": \\(\\p{XDigit}+\\) ", ""))
                .toList();
    }
}
