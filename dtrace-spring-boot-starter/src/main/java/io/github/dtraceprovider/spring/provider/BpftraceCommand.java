package io.github.dtraceprovider.spring.provider;

import io.github.dtraceprovider.core.DTraceProvider;

/**
 * The bpftrace command lines the starter offers: attached to this process, the program in single quotes, ready to
 * paste into a shell.
 */
public final class BpftraceCommand {

    private BpftraceCommand() {
    }

    /** Counts the fires of every probe of the provider until Ctrl-C: the command of the startup log line. */
    public static String countFires(DTraceProvider provider, long pid) {
        return attach(pid, "usdt::" + provider.name() + ":* { @fires[probe] = count(); }");
    }

    /** {@code bpftrace -p PID -e 'PROGRAM'}. */
    public static String attach(long pid, String program) {
        return "bpftrace -p " + pid + " -e '" + program + "'";
    }
}
