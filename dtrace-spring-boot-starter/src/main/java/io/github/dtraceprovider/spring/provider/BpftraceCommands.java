package io.github.dtraceprovider.spring.provider;

import java.util.List;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

/**
 * Ready-to-paste bpftrace commands for the startup log line and the actuator endpoint.
 */
public final class BpftraceCommands {

    /** bpftrace 0.17 reads only arg0..arg5 of a USDT probe. */
    private static final int BPFTRACE_MAX_ARGS = 6;

    private BpftraceCommands() {
    }

    /** Counts the fires of every probe of the provider until Ctrl-C. */
    public static String forProvider(DTraceProvider provider, long pid) {
        return command(pid, "usdt::" + provider.name() + ":* { @fires[probe] = count(); }");
    }

    /** Prints every fire of one probe with its arguments (the first six, all that bpftrace 0.17 reads). */
    public static String forProbe(Probe probe, long pid) {
        List<ArgType> types = probe.argTypes();
        List<String> names = probe.argNames();
        int count = Math.min(types.size(), BPFTRACE_MAX_ARGS);
        StringBuilder format = new StringBuilder(probe.name());
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < count; i++) {
            boolean integer = types.get(i) == ArgType.INT;
            format.append(' ').append(names.get(i)).append(integer ? "=%ld" : "=%s");
            values.append(", ").append(integer ? "arg" + i : "str(arg" + i + ")");
        }
        return command(pid, "usdt::" + probe.provider().name() + ":" + probe.name()
                + " { printf(\"" + format + "\\n\"" + values + "); }");
    }

    private static String command(long pid, String program) {
        return "bpftrace -p " + pid + " -e '" + program + "'";
    }
}
