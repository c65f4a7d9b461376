package io.github.dtraceprovider.spring.actuate;

import java.util.List;
import java.util.Optional;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.provider.BpftraceCommand;

/**
 * The per-probe bpftrace commands the actuator endpoint shows: each prints every fire of one probe with all its
 * arguments. Probes are named by their SDT note name, the only spelling tracers know.
 */
final class ProbeCommands {

    /** On x86-64, bpftrace before 0.24 reads only {@code arg0}..{@code arg5} of a USDT probe. */
    private static final int REGISTER_ARGS = 6;
    /**
     * bpftrace 0.17 keeps each {@code str()} of a printf on the 512-byte BPF stack: seven or more strings of its
     * default 64 bytes do not fit, twelve of 32 do (0.23 still honours the variable, later versions ignore it).
     */
    private static final int STRINGS_AT_DEFAULT_LENGTH = 6;
    private static final String SHORTER_STRINGS = "BPFTRACE_STRLEN=32 ";
    private static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));

    private ProbeCommands() {
    }

    /**
     * Prints every fire of one probe with all its arguments, with any bpftrace version. On x86-64, arguments 7 to 12
     * are read from the stack, where the probe's SDT note says they are, because bpftrace before 0.24 refuses
     * {@code arg6} and above; with more than six strings, they are cut to 31 bytes so that bpftrace 0.17 can print
     * them all.
     */
    static String forAnyBpftrace(Probe probe, long pid) {
        long strings = probe.argTypes().stream().filter(type -> type != ArgType.INT).count();
        return (strings > STRINGS_AT_DEFAULT_LENGTH ? SHORTER_STRINGS : "") + printEveryFire(probe, pid, X86_64);
    }

    /**
     * The shorter command for bpftrace 0.24 and later, which reads every argument as {@code argN}; empty when
     * {@link #forAnyBpftrace} is already that command.
     */
    static Optional<String> forBpftrace024(Probe probe, long pid) {
        return X86_64 && probe.argTypes().size() > REGISTER_ARGS
                ? Optional.of(printEveryFire(probe, pid, false)) : Optional.empty();
    }

    private static String printEveryFire(Probe probe, long pid, boolean stackArgs) {
        List<ArgType> types = probe.argTypes();
        List<String> names = probe.argNames();
        StringBuilder format = new StringBuilder(probe.noteName());
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            boolean integer = types.get(i) == ArgType.INT;
            format.append(' ').append(names.get(i)).append(integer ? "=%ld" : "=%s");
            String slot = stackArgs && i >= REGISTER_ARGS
                    // at the probe instruction %rsp points at the return address; stack arguments follow it
                    ? "*(" + (integer ? "int64" : "uint64") + "*)(reg(\"sp\") + " + 8 * (i - REGISTER_ARGS + 1) + ")"
                    : "arg" + i;
            values.append(", ").append(integer ? slot : "str(" + slot + ")");
        }
        return BpftraceCommand.attach(pid, "usdt::" + probe.provider().name() + ":" + probe.noteName()
                + " { printf(\"" + format + "\\n\"" + values + "); }");
    }
}
