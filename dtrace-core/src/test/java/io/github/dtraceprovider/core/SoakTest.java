package io.github.dtraceprovider.core;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.count;
import static io.github.dtraceprovider.core.Tracing.lines;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long run: {@value #TRACED_FIRES} traced fires from {@value #THREADS} threads while bpftrace attaches for
 * {@value #TRACED_SECONDS} s and detaches for {@value #UNTRACED_SECONDS} s in turn, and beside them a provider is
 * created, enabled, disabled and closed every 100 ms. Heap (after GC), resident memory, open file descriptors,
 * memory mappings and object files must be as flat after the run as before it. Both are measured with everything
 * stopped and after a warm-up of the same work (plus probes added to the enabled provider), so that JIT compilation,
 * the first allocations of each thread and the kernel's uprobe page are not counted.
 *
 * <p>Not part of the default build: {@code mvn -B -pl dtrace-core -am verify -Psoak} (see README, "Hardening and
 * limits"), which pins the heap with {@code -Xms} = {@code -Xmx} and pre-touches it, so that resident memory shows
 * native memory and not heap growth.
 */
@Tag("soak")
class SoakTest {

    static final long TRACED_FIRES = 100_000_000L;
    static final long WARM_UP_FIRES = 5_000_000L;
    static final int THREADS = 8;
    static final int TRACED_SECONDS = 8;
    static final int UNTRACED_SECONDS = 2;
    /** Heap used after a full GC; leaks of Java objects per fire would be hundreds of MB. */
    static final long HEAP_TOLERANCE_BYTES = 8L << 20;
    /** Resident memory: malloc arenas and code caches move a little; a native leak per fire would be GBs. */
    static final long RSS_TOLERANCE_BYTES = 32L << 20;
    static final int FD_TOLERANCE = 4;
    static final int MAPPING_TOLERANCE = 16;
    private static final int ADDED_PROBES = 20;

    @TempDir
    Path directory;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final LongAdder fireCalls = new LongAdder();
    private final AtomicLong tracerCycles = new AtomicLong();
    private final AtomicLong churned = new AtomicLong();

    /** What is measured before and after. */
    private record Usage(long heapUsed, long rss, long fds, long mappings, long objectFiles) {

        @Override
        public String toString() {
            return String.format("heap used %.1f MB, VmRSS %.1f MB, %d fds, %d mappings, %d object files",
                    heapUsed / 1048576.0, rss / 1048576.0, fds, mappings, objectFiles);
        }
    }

    @Test
    void hundredMillionTracedFiresLeaveMemoryFlat() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        String name = uniqueName("soak");
        try (DTraceProvider provider = DTraceProvider.builder(name).directory(directory).build()) {
            List<Probe> probes = List.of(provider.addProbe("ints", "int a", "int b", "int c"),
                    provider.addProbe("text", "int n", "char * text"),
                    provider.addProbe("doc", "int n", "json doc"));
            provider.enable();

            // Warm-up: JIT, each thread's first allocations, probes added to the enabled provider (one object each).
            run(provider, probes, WARM_UP_FIRES, true);
            Usage before = usage();
            long tracedBefore = tracedFires(probes);
            long callsBefore = fireCalls.sum();
            long cyclesBefore = tracerCycles.get();
            long started = System.nanoTime();
            run(provider, probes, tracedBefore + TRACED_FIRES, false);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            Usage after = usage();

            long traced = tracedFires(probes) - tracedBefore;
            long cycles = tracerCycles.get() - cyclesBefore;
            System.out.printf("SoakTest: %,d traced fires (%,d fire calls in all) from %d threads in %d s,"
                    + " %d tracer attach/detach cycles, %d providers created, enabled, disabled and closed%n"
                    + "  before: %s%n  after:  %s%n", traced, fireCalls.sum() - callsBefore, THREADS, seconds,
                    cycles, churned.get(), before, after);
            assertThat(traced).isGreaterThanOrEqualTo(TRACED_FIRES);
            assertThat(probes).allSatisfy(probe -> assertThat(probe.failureCount()).isZero());
            assertThat(cycles).as("tracer attach/detach cycles").isGreaterThanOrEqualTo(3);
            assertThat(after.heapUsed() - before.heapUsed()).as("heap growth").isLessThan(HEAP_TOLERANCE_BYTES);
            assertThat(after.rss() - before.rss()).as("resident memory growth").isLessThan(RSS_TOLERANCE_BYTES);
            assertThat(after.fds() - before.fds()).as("file descriptor growth").isLessThanOrEqualTo(FD_TOLERANCE);
            assertThat(after.mappings() - before.mappings()).as("mapping growth")
                    .isLessThanOrEqualTo(MAPPING_TOLERANCE);
            assertThat(after.objectFiles()).as("object files").isEqualTo(before.objectFiles());
        }
    }

    /** Fires, traces in turns and churns providers until the probes have {@code target} traced fires, then stops. */
    private void run(DTraceProvider provider, List<Probe> probes, long target, boolean addProbes)
            throws InterruptedException {
        stop.set(false);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(thread("soak-fire-" + t, firing(t, probes)));
        }
        threads.add(thread("soak-tracer", () -> traceInTurns(provider.name())));
        threads.add(thread("soak-lifecycle", () -> lifecycle(provider, addProbes)));
        threads.forEach(Thread::start);
        try {
            while (tracedFires(probes) < target) {
                assertThat(errors).isEmpty();
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
            }
        }
        assertThat(errors).isEmpty();
    }

    private Runnable firing(int index, List<Probe> probes) {
        Probe ints = probes.get(0);
        Probe text = probes.get(1);
        Probe doc = probes.get(2);
        return () -> {
            long calls = 0;
            for (long i = 0; !stop.get(); i++) {
                long n = i;
                switch ((int) (i % 3)) {
                    case 0 -> ints.fire(() -> new Object[] {n, index, -n});
                    case 1 -> text.fire(() -> new Object[] {n, "thread " + index + " fire " + n});
                    default -> doc.fire(() -> new Object[] {n, Map.of("thread", index, "fire", n)});
                }
                if (++calls == 1024) {
                    fireCalls.add(calls);
                    calls = 0;
                }
            }
            fireCalls.add(calls);
        };
    }

    /** bpftrace attached for a while, then detached for a while, until the soak ends. */
    private void traceInTurns(String provider) {
        while (!stop.get()) {
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + provider + ":* { @[probe] = count(); }")) {
                sleepUnlessStopped(TimeUnit.SECONDS.toMillis(TRACED_SECONDS));
            }
            tracerCycles.incrementAndGet();
            sleepUnlessStopped(TimeUnit.SECONDS.toMillis(UNTRACED_SECONDS));
        }
    }

    /** Beside the fires: a provider created, enabled, disabled and closed every 100 ms; probes added if asked. */
    private void lifecycle(DTraceProvider soak, boolean addProbes) {
        for (long round = 1; !stop.get(); round++) {
            try (DTraceProvider other = DTraceProvider.builder(soak.name() + "x" + churned.incrementAndGet())
                    .directory(directory).build()) {
                Probe probe = other.addProbe("p", "int", "char *");
                other.enable();
                probe.fire(() -> new Object[] {1, "untraced"});
                other.disable();
            }
            if (addProbes && round <= ADDED_PROBES) {
                soak.addProbe("added" + round, "int");
            }
            sleepUnlessStopped(100);
        }
    }

    private static long tracedFires(List<Probe> probes) {
        return probes.stream().mapToLong(Probe::fireCount).sum();
    }

    private Thread thread(String name, Runnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
                stop.set(true);
            }
        }, name);
    }

    private void sleepUnlessStopped(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (!stop.get() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Usage usage() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return new Usage(memory.getHeapMemoryUsage().getUsed(), residentBytes(), count(Path.of("/proc/self/fd")),
                lines(Path.of("/proc/self/maps")).size(), count(directory.resolve("dtrace-provider-" + Tracing.UID)));
    }

    private static long residentBytes() {
        return lines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst().orElseThrow();
    }
}
