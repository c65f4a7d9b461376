package io.github.dtraceprovider.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million traced fires from 100,000 virtual threads, in a child JVM with a fixed, pre-touched heap (so that resident
 * memory shows native memory): direct memory and resident memory stay flat, both while all the threads are alive and
 * after they ended, and bpftrace counts every fire. Needs Java 21 or later; skipped on older JVMs.
 */
class VirtualThreadFiresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int THREADS = 100_000;
    private static final int FIRES_PER_THREAD = 10;
    private static final int WARMUP_THREADS = 10_000;
    private static final long DIRECT_GROWTH_LIMIT = 1 << 20;
    private static final long RSS_GROWTH_LIMIT = 32 << 20;

    @Test
    void virtualThreadsLeaveDirectAndResidentMemoryFlat() {
        int feature = Runtime.version().feature();
        Assumptions.assumeTrue(feature >= 21, "Skipped: virtual threads need Java 21 or later; this is Java " + feature);
        Bpftrace.assumeAvailable();
        try (ChildJvm child = ChildJvm.start(Firing.class,
                List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"), Map.of())) {
            child.awaitLine("READY", TIMEOUT);
            try (Bpftrace bpftrace = Bpftrace.attach(child.pid(), "usdt::vthreads:fired { @fires = count(); }")) {
                String report = child.awaitLine("DONE ", TIMEOUT);
                List<String> counted = bpftrace.stop();
                System.out.println("VirtualThreadFiresTest: fires directBefore directAlive directAfter rssBefore"
                        + " rssAlive rssAfter failures: " + report + "; bpftrace: " + counted);
                String[] values = report.split(" ");
                long fired = Long.parseLong(values[0]);
                assertThat(fired).as(report).isEqualTo((long) (THREADS + WARMUP_THREADS) * FIRES_PER_THREAD);
                assertThat(counted).as("what bpftrace counted").contains("@fires: " + fired);
                long directBefore = Long.parseLong(values[1]);
                long directAlive = Long.parseLong(values[2]);
                long directAfter = Long.parseLong(values[3]);
                long rssBefore = Long.parseLong(values[4]);
                long rssAlive = Long.parseLong(values[5]);
                long rssAfter = Long.parseLong(values[6]);
                assertThat(directAlive - directBefore).as("direct memory growth while the threads are alive: "
                        + report).isLessThan(DIRECT_GROWTH_LIMIT);
                assertThat(directAfter - directBefore).as("direct memory growth after: " + report)
                        .isLessThan(DIRECT_GROWTH_LIMIT);
                assertThat(rssAlive - rssBefore).as("resident memory growth while the threads are alive: " + report)
                        .isLessThan(RSS_GROWTH_LIMIT);
                assertThat(rssAfter - rssBefore).as("resident memory growth after: " + report)
                        .isLessThan(RSS_GROWTH_LIMIT);
                assertThat(values[7]).as("failures").isEqualTo("0");
            }
        }
    }

    /**
     * Runs in the child JVM: prints {@code READY}, waits for a tracer, fires from WARMUP_THREADS virtual threads,
     * measures, fires FIRES_PER_THREAD times from each of THREADS virtual threads that then stay alive until all have
     * fired, measures again, lets them end, measures a last time and prints
     * {@code DONE fires directBefore directAlive directAfter rssBefore rssAlive rssAfter failures}.
     */
    public static final class Firing {

        public static void main(String[] args) throws Throwable {
            MethodHandle startVirtualThread = MethodHandles.publicLookup().findStatic(Thread.class,
                    "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
            try (DTraceProvider provider = DTraceProvider.create("vthreads")) {
                Probe probe = provider.addProbe("fired", "int thread", "int fire", "char * text");
                provider.enable();
                System.out.println("READY");
                while (!probe.isEnabled()) {
                    Thread.sleep(10);
                }
                Thread.sleep(200); // the program is attached a moment after the semaphore is set
                run(startVirtualThread, probe, WARMUP_THREADS, null);
                System.gc();
                Thread.sleep(500);
                long directBefore = directMemory();
                long rssBefore = residentMemory();
                CountDownLatch end = new CountDownLatch(1);
                long[] alive = new long[2];
                run(startVirtualThread, probe, THREADS, () -> {
                    alive[0] = directMemory();
                    alive[1] = residentMemory();
                    end.countDown();
                });
                System.out.println("DONE " + probe.fireCount() + " " + directBefore + " " + alive[0] + " "
                        + directMemory() + " " + rssBefore + " " + alive[1] + " " + residentMemory() + " "
                        + probe.failureCount());
            }
        }

        /**
         * Starts {@code threads} virtual threads that fire and then wait until all have fired and {@code whileAlive}
         * (if any) has run; returns once they all ended.
         */
        private static void run(MethodHandle startVirtualThread, Probe probe, int threads, Runnable whileAlive)
                throws Throwable {
            CountDownLatch fired = new CountDownLatch(threads);
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> started = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Runnable body = () -> {
                    for (int i = 0; i < FIRES_PER_THREAD; i++) {
                        int fire = i;
                        probe.fire(() -> new Object[] {thread, fire, "virtual thread " + thread});
                    }
                    fired.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                started.add((Thread) startVirtualThread.invoke(body));
            }
            fired.await();
            if (whileAlive != null) {
                whileAlive.run();
            }
            release.countDown();
            for (Thread thread : started) {
                thread.join();
            }
        }

        private static long directMemory() {
            return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct"))
                    .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        }

        private static long residentMemory() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
    }
}
