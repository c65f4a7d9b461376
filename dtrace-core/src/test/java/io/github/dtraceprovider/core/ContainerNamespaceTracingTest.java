package io.github.dtraceprovider.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.PerfProbes;
import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM in a Kubernetes pod runs in mount and PID namespaces of its own, usually with its own {@code /tmp}: its object
 * file lies at a path the node does not see, under a pid the node does not know. Here the child JVM gets exactly that
 * from {@code unshare} and a tmpfs of its own on its {@code java.io.tmpdir} (a directory the host sees empty: not /tmp
 * itself, so that the test does not depend on where the build lives), fires {@code tick(its pid, its object's path)}
 * every millisecond, and is
 * traced from the host by host pid (bpftrace, perf), from inside its namespaces, and from a tracer that shares only
 * its PID namespace (a sidecar). docs/kubernetes.md tells users what this shows.
 */
class ContainerNamespaceTracingTest {

    /**
     * A pod's container as far as tracing goes: its own mount and PID namespaces and /proc, and a tmpfs of its own on
     * the directory that follows this launcher.
     */
    private static final List<String> POD = List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
            "--mount-proc", "sh", "-c", "mount -t tmpfs tmpfs \"$1\" && shift && exec \"$@\"", "sh");
    private static final String PROGRAM = "usdt::%s:tick { printf(\"%%ld %%s\\n\", arg0, str(arg1)); }";
    /** The object's path is longer than the 63 bytes bpftrace 0.17's str() reads by default. */
    private static final Map<String, String> WHOLE_PATH = Map.of("BPFTRACE_STRLEN", "200");

    @TempDir
    Path dir;

    private String provider;
    private ChildJvm jvm;
    /** The JVM's pid on the host, in its namespace, and its object's path in its mount namespace. */
    private long hostPid;
    private long podPid;
    /** The JVM's java.io.tmpdir: empty on the host, a tmpfs in the JVM's mount namespace. */
    private String podTmp;
    private String object;

    @BeforeEach
    void startJvmInNamespacesOfItsOwn() throws IOException {
        Tools.assumeCommand("unshare");
        // perf events are global to the machine: the test JVM's pid keeps concurrent runs apart
        provider = uniqueName("pod" + PID + "n");
        podTmp = Files.createDirectory(dir.resolve("pod-tmp")).toString();
        List<String> launcher = new ArrayList<>(POD);
        launcher.add(podTmp);
        // the object goes where a pod's JVM puts it by default: java.io.tmpdir, on the pod's own tmpfs
        jvm = ChildJvm.start(launcher, ProviderChild.class, List.of("-Djava.io.tmpdir=" + podTmp),
                Collections.singletonMap("DTRACE_PROVIDER_DIR", null), provider, "default");
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
        assertThat(object).startsWith(podTmp + "/");
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
        try (Bpftrace bpftrace = Bpftrace.attach(List.of(), WHOLE_PATH, hostPid, PROGRAM.formatted(provider))) {
            bpftrace.awaitLines(podPid + " " + Pattern.quote(object), 3, TIMEOUT);
        }
    }

    @Test
    void bpftraceInsideTheJvmsNamespacesTracesByItsPidThere() {
        Bpftrace.assumeAvailable();
        Tools.assumeCommand("nsenter");
        // what `kubectl exec` into the JVM's container gives: its mount and PID namespaces (nsenter forks for --pid)
        List<String> inside = List.of("nsenter", "--target", Long.toString(hostPid), "--mount", "--pid");
        try (Bpftrace bpftrace = Bpftrace.attach(inside, WHOLE_PATH, podPid, PROGRAM.formatted(provider))) {
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
        try (Bpftrace bpftrace = Bpftrace.attach(sidecar, WHOLE_PATH, podPid, PROGRAM.formatted(provider))) {
            bpftrace.awaitLines(podPid + " " + Pattern.quote(object), 3, TIMEOUT);
        }
    }

    /**
     * perf 6.1 turns {@code -x /proc/PID/root/tmp/...} into the host's {@code /tmp/...} (it resolves the path, and
     * /proc/PID/root reads as "/") and fails, so its {@code --target-ns PID} opens the object inside the JVM's mount
     * namespace instead; the string argument is read through the event redefined in tracefs on
     * {@code /proc/PID/root/...}, which the kernel does follow.
     */
    @Test
    void perfOnTheHostTracesByHostPidThroughTheJvmsMountNamespace() throws Exception {
        PerfProbes.assumeAvailable();
        try (PerfProbes events = PerfProbes.addInMountNamespaceOf(hostPid, object, provider, "tick")) {
            String tick = events.event("tick");
            Tools.Result script;
            try (PerfRecord record = PerfRecord.start(dir, hostPid, tick)) {
                events.awaitHits("tick", 3);
                record.stop();
                script = record.script();
            }
            // "java  1234 [001]  5.678:  dtptest_PID_N:tick: (7f0123456789) arg1=1 arg2="/tmp/..."
            assertThat(PerfRecord.arguments(script, tick)).as(script.describe()).isNotEmpty()
                    .containsOnly("arg1=" + podPid + " arg2=\"" + object + "\"");
        }
    }
}
