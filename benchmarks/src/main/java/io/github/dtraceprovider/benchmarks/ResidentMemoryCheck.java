package io.github.dtraceprovider.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

/**
 * Resident memory of a JVM that fires FIRES traced and FIRES untraced probes (BENCHMARKS.md row 7). Waits until a
 * tracer is attached to {@code bench_rss:traced} (and to nothing else), fires both probes WARMUP times, reads VmRSS,
 * fires both FIRES times, reading VmRSS after every tenth, and prints the figures in KiB. The warm-up fires in the
 * same chunks as the measured part, so that the JIT has compiled every shape of the loop (and returned the memory
 * its compilers borrow) before the first sample.
 *
 * <p>Run it with a fixed, pre-touched heap ({@code -Xms = -Xmx, -XX:+AlwaysPreTouch}): then the heap is resident
 * from the start and what can still grow is native memory, which is where a per-fire leak (argument buffers, JNA
 * memory, native state) would show.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.dtraceprovider.benchmarks.ResidentMemoryCheck FIRES WARMUP}
 */
public final class ResidentMemoryCheck {

    private static final int SAMPLES = 10;

    private ResidentMemoryCheck() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length != 2) {
            System.err.println("usage: ResidentMemoryCheck FIRES WARMUP");
            System.exit(2);
        }
        long fires = Long.parseLong(args[0]);
        long warmup = Long.parseLong(args[1]);
        try (DTraceProvider provider = DTraceProvider.create("bench_rss")) {
            Probe traced = provider.addProbe("traced", "int id", "char * path");
            Probe untraced = provider.addProbe("untraced", "int id", "char * path");
            provider.enable();
            System.out.println("pid " + ProcessHandle.current().pid() + " waiting for a tracer");
            while (!traced.isEnabled()) {
                Thread.sleep(10);
            }
            if (untraced.isEnabled()) {
                throw new IllegalStateException("the tracer must attach to bench_rss:traced only");
            }
            fireInChunks(traced, untraced, 0, warmup);
            long warmKib = residentKib();
            List<Long> samples = fireInChunks(traced, untraced, warmup, fires);
            System.out.println("rss_warm_kib " + warmKib);
            System.out.println("rss_end_kib " + samples.get(samples.size() - 1));
            System.out.println("rss_max_kib " + Collections.max(samples));
            System.out.println("rss_samples_kib " + samples);
            System.out.println("traced_fires " + traced.fireCount());
            System.out.println("failures " + (traced.failureCount() + untraced.failureCount()));
        }
    }

    /** Fires each probe {@code count} times in {@value #SAMPLES} chunks; returns VmRSS after each chunk. */
    private static List<Long> fireInChunks(Probe traced, Probe untraced, long firstId, long count) throws IOException {
        List<Long> samples = new ArrayList<>();
        long chunk = Math.max(1, count / SAMPLES);
        for (long done = 0; done < count; done += chunk) {
            fireBoth(traced, untraced, firstId + done, Math.min(chunk, count - done));
            samples.add(residentKib());
        }
        return samples;
    }

    /** Fires each probe {@code count} times with ids from {@code firstId}; a new string each time, as in real code. */
    private static void fireBoth(Probe traced, Probe untraced, long firstId, long count) {
        for (long id = firstId; id < firstId + count; id++) {
            long orderId = id;
            traced.fire(() -> new Object[] {orderId, "/orders/" + orderId});
            untraced.fire(() -> new Object[] {orderId, "/orders/" + orderId});
        }
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/self/status has no VmRSS line");
    }
}
