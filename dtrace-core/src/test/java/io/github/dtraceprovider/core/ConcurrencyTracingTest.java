package io.github.dtraceprovider.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static io.github.dtraceprovider.testing.ProbeStates.pretendTraced;
import static org.assertj.core.api.Assertions.assertThat;

/** Firing from several threads while another one redefines, enables and disables the provider. */
class ConcurrencyTracingTest {

    private static final int FIRING_THREADS = 3;
    private static final long CHAOS_MILLIS = 3000;
    private static final long ADD_ONLY_MILLIS = 1000;
    private static final int MAX_EXTRA_PROBES = 40;
    private static final int STEADY_FIRES_PER_THREAD = 5000;
    private static final Pattern HITS = Pattern.compile("@hits: (\\d+)");

    @Test
    void firingSurvivesEnableAddDisableAndLosesNothingWhileTraced() throws Exception {
        Bpftrace.assumeAvailable();
        String name = uniqueName("conc");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe hot = provider.addProbe("hot", "int", "char *");
            provider.enable();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            String program = "usdt::" + name + ":hot { @hits = count(); }";

            // Phase 1: chaos. For a second probes are added to the enabled provider while bpftrace counts fires
            // of "hot"; then disable() and enable() alternate, which unloads the object bpftrace is attached to.
            // After each enable() the test sets the semaphores itself, as a tracer would, so that fires keep
            // entering native code while disable() runs.
            long chaosHits;
            long chaosFires;
            try (Bpftrace bpftrace = Bpftrace.attach(PID, program)) {
                awaitTraced(hot);
                AtomicBoolean stop = new AtomicBoolean();
                LongAdder loops = new LongAdder();
                List<Thread> firing = startFiring(provider, hot, stop, loops, errors);
                Thread chaos = new Thread(() -> {
                    try {
                        long start = System.nanoTime();
                        long addOnlyUntil = start + TimeUnit.MILLISECONDS.toNanos(ADD_ONLY_MILLIS);
                        long end = start + TimeUnit.MILLISECONDS.toNanos(CHAOS_MILLIS);
                        for (int round = 0; System.nanoTime() < end; round++) {
                            if (provider.probes().size() <= MAX_EXTRA_PROBES) {
                                provider.addProbe("extra" + round, "int");
                            }
                            if (System.nanoTime() < addOnlyUntil) {
                                // probes added to an enabled provider leave "hot" and its tracer alone
                                Thread.sleep(ADD_ONLY_MILLIS / MAX_EXTRA_PROBES);
                            } else {
                                provider.disable();
                                provider.enable();
                                pretendTraced(provider.probes());
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }, "chaos");
                chaos.start();
                chaos.join();
                stop.set(true);
                for (Thread thread : firing) {
                    thread.join();
                }
                assertThat(errors).isEmpty();
                assertThat(loops.sum()).isPositive();
                chaosFires = hot.fireCount();
                chaosHits = hits(bpftrace.stop());
            }
            assertThat(chaosHits).as("bpftrace cannot see more fires than reached native code")
                    .isPositive().isLessThanOrEqualTo(chaosFires);

            // Phase 2: the provider stays enabled and traced: bpftrace sees every fire that Java counted.
            provider.disable();
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, program)) {
                awaitTraced(hot);
                long before = hot.fireCount();
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < FIRING_THREADS; t++) {
                    Thread thread = new Thread(() -> {
                        try {
                            start.await();
                            for (int i = 0; i < STEADY_FIRES_PER_THREAD; i++) {
                                int value = i;
                                hot.fire(() -> new Object[] {value, "steady"});
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                    thread.start();
                    threads.add(thread);
                }
                start.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                long fired = hot.fireCount() - before;
                assertThat(errors).isEmpty();
                assertThat(fired).isEqualTo((long) FIRING_THREADS * STEADY_FIRES_PER_THREAD);
                assertThat(hits(bpftrace.stop())).isEqualTo(fired);
            }
            assertThat(hot.failureCount()).isZero();
        }
    }

    private static List<Thread> startFiring(DTraceProvider provider, Probe hot, AtomicBoolean stop, LongAdder loops,
            Queue<Throwable> errors) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < FIRING_THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        int value = i;
                        hot.fire(() -> new Object[] {value, "chaos"});
                        // names that do not exist yet are logged once and ignored
                        provider.fire("extra" + (i % MAX_EXTRA_PROBES), () -> new Object[] {value});
                        loops.increment();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "firing-" + t);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    private static long hits(List<String> output) {
        for (String line : output) {
            Matcher matcher = HITS.matcher(line);
            if (matcher.matches()) {
                return Long.parseLong(matcher.group(1));
            }
        }
        throw new AssertionError("no @hits in bpftrace's output: " + output);
    }
}
