package io.github.dtraceprovider.benchmarks;

import java.util.Arrays;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

/**
 * The Java side of the traced-fire comparison (BENCHMARKS.md row 2), twin of {@code src/main/c/fire_loop.c}: the
 * same probe {@code bench:fire(int, int, char *, char *)}, the same loop and the same timing, so that the two can run
 * under the same bpftrace program. Waits until a tracer is attached, fires WARMUP times (which also lets the JIT
 * compile the traced path), then ROUNDS rounds of FIRES each, and prints the median round as ns per fire.
 *
 * <p>Not a JMH benchmark on purpose: the C side has no JMH, and the point is to time both loops the same way. Each
 * fire calls into native code and traps into the kernel, which the JIT cannot remove.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.dtraceprovider.benchmarks.TracedFireLoop FIRES ROUNDS WARMUP
 * [virtual]}; with {@code virtual} (Java 21 and later) the loops run on a virtual thread instead of the main thread.
 */
public final class TracedFireLoop {

    private static final String METHOD = "GET";
    private static final String PATH = "/orders/42";

    private TracedFireLoop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && !(args.length == 4 && args[3].equals("virtual"))) {
            System.err.println("usage: TracedFireLoop FIRES ROUNDS WARMUP [virtual]");
            System.exit(2);
        }
        long fires = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long warmup = Long.parseLong(args[2]);
        if (args.length == 4) {
            onVirtualThread(() -> measure(fires, rounds, warmup));
        } else {
            measure(fires, rounds, warmup);
        }
    }

    /** Runs {@code task} on a virtual thread and waits for it; through reflection, since this compiles for Java 17. */
    private static void onVirtualThread(Runnable task) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Thread thread = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, task);
        thread.join();
    }

    private static void measure(long fires, int rounds, long warmup) {
        try (DTraceProvider provider = DTraceProvider.create("bench")) {
            Probe probe = provider.addProbe("fire", "int id", "int status", "char * method", "char * path");
            provider.enable();
            System.out.println("pid " + ProcessHandle.current().pid() + " waiting for a tracer");
            while (!probe.isEnabled()) {
                sleep();
            }
            fire(probe, warmup);
            double[] nsPerFire = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                fire(probe, fires);
                nsPerFire[r] = (double) (System.nanoTime() - start) / fires;
            }
            Arrays.sort(nsPerFire);
            System.out.printf("ns_per_fire %.1f%n", nsPerFire[rounds / 2]);
            if (probe.failureCount() != 0) {
                System.err.println("the probe counted " + probe.failureCount() + " failures");
                System.exit(1);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fire(Probe probe, long count) {
        for (long i = 0; i < count; i++) {
            long id = i;
            probe.fire(() -> new Object[] {id, 200, METHOD, PATH});
        }
    }
}
