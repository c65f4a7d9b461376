package io.github.dtraceprovider.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The program a {@link io.github.dtraceprovider.testing.ChildJvm} runs: creates provider {@code args[0]} with probe
 * {@code tick(int pid, char * object)} in directory {@code args[1]} ({@code default} for the default choice), enables
 * it and prints {@code PID <its pid>} and {@code OBJECT <path>}, or {@code FAILED <message>} and exits with 3
 * ({@code UNSUPPORTED <reason>} and 4 when the native core cannot be loaded). Then it fires {@code tick} with its pid
 * and its object's path every millisecond until its stdin ends, and exits normally. Pid and path are the ones the
 * child sees, which differ from the host's when it runs in namespaces of its own.
 */
public final class ProviderChild {

    private ProviderChild() {
    }

    public static void main(String[] args) throws IOException {
        if (!DTraceProvider.isSupported()) {
            System.out.println("UNSUPPORTED " + DTraceProvider.unsupportedReason().orElseThrow());
            System.exit(4);
        }
        DTraceProvider.Builder builder = DTraceProvider.builder(args[0]);
        if (!args[1].equals("default")) {
            builder.directory(Path.of(args[1]));
        }
        long pid = ProcessHandle.current().pid();
        try (DTraceProvider provider = builder.build()) {
            Probe tick = provider.addProbe("tick", "int pid", "char * object");
            try {
                provider.enable();
            } catch (IllegalStateException e) {
                System.out.println("FAILED " + e.getMessage());
                System.exit(3);
            }
            String object = provider.objectPaths().get(0).toString();
            System.out.println("PID " + pid);
            System.out.println("OBJECT " + object);
            Thread firing = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    tick.fire(() -> new Object[] {pid, object});
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "tick");
            firing.setDaemon(true);
            firing.start();
            while (System.in.read() >= 0) {
                // the parent closes stdin (or dies) to end this process
            }
            firing.interrupt();
        }
    }
}
