package io.github.dtraceprovider.testing;

import java.util.List;
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
 * <p>{@link #attach} returns once bpftrace has printed its "Attaching N probes" line. {@link #output()} leaves
 * out bpftrace's own noise: the attach line, the harmless RLIMIT_MEMLOCK warning and blank lines.
 *
 * <p>bpftrace prints that line just before it attaches, so a fire right after {@link #attach} may still be
 * missed: fire repeatedly until the expected line arrives (the {@code Runnable} variants of
 * {@link #awaitLine} do that), or for USDT probes wait until {@code Probe.isEnabled()}, which turns true
 * once the probe is attached. bpftrace's {@code printf("%d")} prints 32 bits: use {@code %ld} for 64-bit
 * values.
 */
public final class Bpftrace extends TracerProcess {

    private static final Pattern ATTACHED = Pattern.compile("Attaching \\d+ probes?\\.\\.\\..*");
    /** bpftrace's own lines: the attach line, the RLIMIT_MEMLOCK warning, blank lines around map dumps. */
    private static final Pattern NOISE = Pattern.compile(
            "Attaching \\d+ probes?\\.\\.\\..*|.*RLIMIT_MEMLOCK.*|\\s*", Pattern.CASE_INSENSITIVE);

    private Bpftrace(List<String> launcher, long pid, String program) {
        // -B none: no stdio buffering, so every printf reaches us at once.
        super("bpftrace", launcher, List.of("bpftrace", "-B", "none", "-p", Long.toString(pid), "-e", program),
                ATTACHED, NOISE);
    }

    /** Skips the test (fails it when env CI=true) unless bpftrace is installed and we are root. */
    public static void assumeAvailable() {
        Tools.assumeCommand("bpftrace");
    }

    /**
     * Runs {@code bpftrace -p pid -e program} and waits for its "Attaching" line.
     *
     * @throws AssertionError with everything bpftrace printed if it exits or does not attach within 30 s
     */
    public static Bpftrace attach(long pid, String program) {
        return attach(List.of(), pid, program);
    }

    /**
     * Like {@link #attach(long, String)}, with bpftrace run by {@code launcher}, such as {@code nsenter -t PID -m -p}
     * to run it in another process's namespaces; {@code pid} is then the pid as seen there.
     */
    public static Bpftrace attach(List<String> launcher, long pid, String program) {
        return new Bpftrace(launcher, pid, program);
    }
}
