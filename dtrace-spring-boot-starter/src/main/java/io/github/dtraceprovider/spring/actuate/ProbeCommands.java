package io.github.dtraceprovider.spring.actuate;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.provider.BpftraceCommand;

/**
 * The per-probe bpftrace commands the actuator endpoint shows: each prints every fire of one probe with all its
 * arguments. Probes are named by their SDT note name, the only spelling tracers know.
 */
final class ProbeCommands {

    /**
     * bpftrace 0.17 keeps each {@code str()} of a printf on the 512-byte BPF stack: seven or more strings of its
     * default 64 bytes do not fit, twelve of 32 do (0.23 still honours the variable, later versions ignore it).
     */
    private static final int STRINGS_AT_DEFAULT_LENGTH = 6;
    private static final String SHORTER_STRINGS = "BPFTRACE_STRLEN=32 ";
    /** A stack operand as the SDT note writes it: {@code 8(%rsp)} on x86-64, {@code [sp, 0]} on aarch64. */
    private static final Pattern STACK_SLOT = Pattern.compile("(-?\\d+)\\(%rsp\\)|\\[sp, (-?\\d+)\\]");

    private ProbeCommands() {
    }

    /**
     * Prints every fire of one probe with all its arguments, with any bpftrace version: bpftrace before 0.24 reads
     * by number ({@code argN}) only the arguments passed in registers, so the others are read from the stack, at the
     * offsets the probe's SDT note gives ({@link Probe#argLocations()}); with more than six strings, they are cut to
     * 31 bytes so that bpftrace 0.17 can print them all.
     */
    static String forAnyBpftrace(Probe probe, long pid) {
        long strings = probe.argTypes().stream().filter(type -> type != ArgType.INT).count();
        return (strings > STRINGS_AT_DEFAULT_LENGTH ? SHORTER_STRINGS : "") + printEveryFire(probe, pid, true);
    }

    /**
     * The shorter command for bpftrace 0.24 and later, which reads every argument as {@code argN}; empty when
     * {@link #forAnyBpftrace} is already that command.
     */
    static Optional<String> forBpftrace024(Probe probe, long pid) {
        return probe.argLocations().stream().anyMatch(location -> STACK_SLOT.matcher(location).matches())
                ? Optional.of(printEveryFire(probe, pid, false)) : Optional.empty();
    }

    private static String printEveryFire(Probe probe, long pid, boolean stackSlots) {
        List<ArgType> types = probe.argTypes();
        List<String> names = probe.argNames();
        List<String> locations = probe.argLocations();
        StringBuilder format = new StringBuilder(probe.noteName());
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            boolean integer = types.get(i) == ArgType.INT;
            format.append(' ').append(names.get(i)).append(integer ? "=%ld" : "=%s");
            Matcher stack = stackSlots && i < locations.size() ? STACK_SLOT.matcher(locations.get(i)) : null;
            String slot = stack != null && stack.matches()
                    ? "*(" + (integer ? "int64" : "uint64") + "*)(reg(\"sp\") + "
                            + (stack.group(1) != null ? stack.group(1) : stack.group(2)) + ")"
                    : "arg" + i;
            values.append(", ").append(integer ? slot : "str(" + slot + ")");
        }
        return BpftraceCommand.attach(pid, "usdt::" + probe.provider().name() + ":" + probe.noteName()
                + " { printf(\"" + format + "\\n\"" + values + "); }");
    }
}
