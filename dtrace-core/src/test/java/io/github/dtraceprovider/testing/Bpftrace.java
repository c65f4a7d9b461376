package io.github.dtraceprovider.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>{@link #attach(long, String)} runs the bpftrace on the PATH, {@link #attach(BpftraceBuild, long, String)} the
 * given {@link BpftraceBuild}. Both return once bpftrace has printed its attach line: "Attaching N probes..." on
 * stdout (0.17, 0.23) or "Attached N probes" on stderr (0.27). {@link #output()} leaves out bpftrace's own noise:
 * the attach line, the harmless RLIMIT_MEMLOCK warning and blank lines. Warnings go to stderr, which only failure
 * messages show.
 *
 * <p>0.17 and 0.23 print their attach line just before they attach, so a fire right after {@link #attach} may
 * still be missed: fire repeatedly until the expected line arrives (the {@code Runnable} variants of
 * {@link #awaitLine} do that), or for USDT probes wait until {@code Probe.isEnabled()}, which turns true
 * once the probe is attached. bpftrace's {@code printf("%d")} prints 32 bits: use {@code %ld} for 64-bit
 * values.
 */
public final class Bpftrace extends TracerProcess {

    private static final String ATTACH_LINE = "Attaching \\d+ probes?\\.\\.\\..*|Attached \\d+ probes?";
    private static final Pattern ATTACHED = Pattern.compile(ATTACH_LINE);
    /** bpftrace's own lines: the attach line, the RLIMIT_MEMLOCK warning, blank lines around map dumps. */
    private static final Pattern NOISE = Pattern.compile(ATTACH_LINE + "|.*RLIMIT_MEMLOCK.*|\\s*",
            Pattern.CASE_INSENSITIVE);

    private Bpftrace(BpftraceBuild build, List<String> launcher, Map<String, String> environment, long pid,
            String program, List<String> parameters) {
        super(build + " " + build.version(), launcher, command(build, pid, program, parameters), environment,
                ATTACHED, NOISE);
    }

    private static List<String> command(BpftraceBuild build, long pid, String program, List<String> parameters) {
        // -B none: no stdio buffering, so every printf reaches us at once.
        List<String> command = new ArrayList<>(build.command("-B", "none", "-p", Long.toString(pid), "-e", program));
        command.addAll(parameters);
        return command;
    }

    /** Skips the test (fails it when env CI is true) unless bpftrace is on the PATH and we are root. */
    public static void assumeAvailable() {
        BpftraceBuild.SYSTEM.assumeAvailable();
    }

    /**
     * Runs {@code bpftrace -p pid -e program} with the bpftrace on the PATH and waits for its attach line.
     *
     * @throws AssertionError with everything bpftrace printed if it exits or does not attach within 30 s
     */
    public static Bpftrace attach(long pid, String program) {
        return attach(BpftraceBuild.SYSTEM, pid, program);
    }

    /** Like {@link #attach(long, String)}, with the given build of bpftrace. */
    public static Bpftrace attach(BpftraceBuild build, long pid, String program) {
        return attach(build, Map.of(), pid, program);
    }

    /** Like {@link #attach(BpftraceBuild, long, String)}, with these variables added to bpftrace's environment. */
    public static Bpftrace attach(BpftraceBuild build, Map<String, String> environment, long pid, String program) {
        return new Bpftrace(build, List.of(), environment, pid, program, List.of());
    }

    /** Like {@link #attach(BpftraceBuild, long, String)}, with the program's positional parameters ($1, $2, ...). */
    public static Bpftrace attach(BpftraceBuild build, long pid, String program, List<String> parameters) {
        return new Bpftrace(build, List.of(), Map.of(), pid, program, parameters);
    }

    /**
     * Like {@link #attach(BpftraceBuild, Map, long, String)} with the bpftrace on the PATH, run by {@code launcher} (if
     * not empty), such as {@code nsenter -t PID -m -p} to run it in another process's namespaces; {@code pid} is then
     * the pid as seen there.
     */
    public static Bpftrace attach(List<String> launcher, Map<String, String> environment, long pid, String program) {
        return new Bpftrace(BpftraceBuild.SYSTEM, launcher, environment, pid, program, List.of());
    }
}
