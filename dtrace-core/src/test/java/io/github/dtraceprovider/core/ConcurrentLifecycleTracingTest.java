package io.github.dtraceprovider.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.internal.nativecore.NativeProvider;
import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static io.github.dtraceprovider.testing.ProbeStates.pretendTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A minute of everything at once: {@value #FIRING_THREADS} threads fire hot while other threads add probes, enable,
 * disable and close providers in a loop, and bpftrace attaches and detaches over and over. The JVM must survive,
 * bpftrace must count exactly the fires Java made while it was attached, and nothing may reach bpftrace from a
 * probe after {@code disable()} returned.
 *
 * <p>How "exactly" is measured: fires of the {@code steady} probe pass the number of the current window, and its
 * supplier (which runs only for a fire that is traced, right before the native call) counts the fire for that
 * window. bpftrace counts per window too. The first window opens once bpftrace has seen a fire (its program runs),
 * and each is closed once every firing thread has finished the fire it was in, so the counts must be equal.
 *
 * <p>How "after disable()" is measured: each cycle has a fresh {@code dying} probe, fired with phase 0; right after
 * its provider's {@code disable()} returns the phase becomes 1 while the threads keep firing. bpftrace stays
 * attached, must never count a fire with phase 1, and the last fire it saw must be earlier than the moment
 * {@code disable()} returned (bpftrace's {@code nsecs} and {@code System.nanoTime()} read the same clock).
 */
class ConcurrentLifecycleTracingTest {

    static final int FIRING_THREADS = 16;
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** What the tail of one tracer cycle takes at most; no cycle starts later than this before the end. */
    private static final long LAST_CYCLE_NANOS = TimeUnit.SECONDS.toNanos(8);
    private static final int WINDOWS_PER_CYCLE = 4;
    private static final long WINDOW_MILLIS = 250;
    private static final int MIN_CYCLES = 5;
    private static final int CHURN_SLOTS = 64;
    private static final int TOGGLED_PROBES = 8;
    /** Added one by one to an enabled provider, each in an object of its own: as many as a provider holds. */
    private static final int MAX_PROBES_ADDED = NativeProvider.MAX_OBJECTS - 1;
    /** A line of bpftrace's map dump, {@code @name[key]: count} or {@code @name[key, thread]: count}. */
    private static final Pattern COUNT = Pattern.compile("@(\\w+)\\[(\\d+)(?:, \\d+)?\\]: (\\d+)");

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    /** Per firing thread, the number of the loop iteration it is in. */
    private final AtomicLongArray iterations = new AtomicLongArray(FIRING_THREADS);
    /** Traced fires of {@code steady}, per window; window 0 is "no window open". */
    private final AtomicLongArray steadyFires = new AtomicLongArray(10_000);
    private volatile int window;
    private final AtomicReference<DyingProbe> dying = new AtomicReference<>();
    /** Probes of providers the churn threads create and close; the firing threads fire whatever is here. */
    private final AtomicReferenceArray<Probe> churnProbes = new AtomicReferenceArray<>(CHURN_SLOTS);
    private final AtomicLong churnRounds = new AtomicLong();
    private final AtomicLong toggles = new AtomicLong();
    private final AtomicLong steadyFiresCompared = new AtomicLong();
    private final AtomicLong churnAttaches = new AtomicLong();
    private final AtomicLong churnAttachesRaced = new AtomicLong();

    /** One cycle's probe that is disabled while traced and fired; phase 1 starts when disable() has returned. */
    private record DyingProbe(Probe probe, AtomicInteger phase, AtomicLongArray fires) {

        void fire() {
            probe.fire(() -> {
                int now = phase.get();
                fires.incrementAndGet(now);
                return new Object[] {now};
            });
        }
    }

    @Test
    void firesSurviveEveryLifecycleOperationAndTracersComeAndGo() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        long start = System.nanoTime();
        String steadyName = uniqueName("steady");
        String toggledName = uniqueName("toggled");
        String churnPrefix = uniqueName("churn") + "x";
        List<Thread> threads = new ArrayList<>();
        int cycles = 0;
        try (DTraceProvider steadyProvider = DTraceProvider.create(steadyName);
                DTraceProvider toggled = DTraceProvider.create(toggledName);
                DTraceProvider anchor = DTraceProvider.create(churnPrefix + "anchor")) {
            Probe steady = steadyProvider.addProbe("steady", "int window", "int thread");
            steadyProvider.enable();
            for (int i = 0; i < TOGGLED_PROBES; i++) {
                toggled.addProbe("t" + i, "int", "char *");
            }
            anchor.addProbe("anchor", "int");
            anchor.enable();

            for (int t = 0; t < FIRING_THREADS; t++) {
                threads.add(thread("firing-" + t, firing(t, steady, toggled)));
            }
            threads.add(thread("add-to-steady", () -> addProbes(steadyProvider)));
            threads.add(thread("toggle", () -> toggle(toggled)));
            threads.add(thread("add-to-toggled", () -> addProbes(toggled)));
            threads.add(thread("churn-1", () -> churn(churnPrefix, 0)));
            threads.add(thread("churn-2", () -> churn(churnPrefix, CHURN_SLOTS / 2)));
            threads.add(thread("churn-tracer", () -> traceChurn(churnPrefix)));
            threads.forEach(Thread::start);
            try {
                while (System.nanoTime() - start < RUN_NANOS - LAST_CYCLE_NANOS && errors.isEmpty()) {
                    traceOneCycle(steadyName, steady);
                    cycles++;
                }
            } finally {
                // before the providers close: the toggle thread writes into their memory
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                    assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
                }
            }
        }
        assertThat(errors).isEmpty();
        assertThat(cycles).as("tracer cycles").isGreaterThanOrEqualTo(MIN_CYCLES);
        assertThat(churnRounds.get()).as("providers created, enabled, disabled and closed").isPositive();
        assertThat(churnAttaches.get()).as("attaches of the churn tracer").isPositive();
        assertThat(toggles.get()).as("disable/enable of a provider that is fired").isPositive();
        System.out.printf("%s: %d firing threads, %d iterations; %d tracer cycles, %d traced fires counted"
                + " exactly; %d providers created, enabled, disabled and closed; %d disable/enable toggles; churn"
                + " tracer attached %d times (%d attaches raced with an unload)%n", getClass().getSimpleName(),
                FIRING_THREADS, totalIterations(), cycles, steadyFiresCompared.get(), churnRounds.get(),
                toggles.get(), churnAttaches.get(), churnAttachesRaced.get());
    }

    /**
     * One bpftrace session: attach, count {@code steady} over a few windows, disable the {@code dying} probe's
     * provider while it is traced and fired, detach, compare.
     */
    private void traceOneCycle(String steadyName, Probe steady) throws InterruptedException {
        DTraceProvider dyingProvider = DTraceProvider.create(uniqueName("dying"));
        DyingProbe round = new DyingProbe(dyingProvider.addProbe("dying", "int phase"), new AtomicInteger(),
                new AtomicLongArray(2));
        dyingProvider.enable();
        dying.set(round);
        // Fires of the arming window tell that bpftrace's program on steady runs: under this load, bpftrace may
        // attach the program well after the kernel set the semaphore, and a window must not start before.
        int arming = window + 1;
        int first = arming + 1;
        int last = first + WINDOWS_PER_CYCLE - 1;
        window = arming;
        long disabledAt;
        List<String> output;
        // Counted per window and thread: the kernel runs a uprobe's program with migration, not preemption, disabled,
        // so where it preempts kernel code two threads on one CPU could both increment one per-CPU counter and lose
        // an increment; a thread never races with itself.
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + steadyName + ":steady { @steady[arg0, arg1] ="
                + " count(); if (arg0 == " + arming + " && @armed == 0) { @armed = 1; printf(\"armed\\n\"); } }"
                + " usdt::" + dyingProvider.name() + ":dying { @dying[arg0] = count(); @dyingLast = max(nsecs); }")) {
            awaitTraced(round.probe());
            bpftrace.awaitLine("armed", Tracing.TIMEOUT);
            for (int w = first; w <= last; w++) {
                window = w;
                Thread.sleep(WINDOW_MILLIS);
            }
            window = last + 1;
            quiesce();

            dyingProvider.disable();
            // System.nanoTime() and bpftrace's nsecs both read CLOCK_MONOTONIC
            disabledAt = System.nanoTime();
            round.phase().set(1);
            Thread.sleep(WINDOW_MILLIS);
            quiesce();
            output = bpftrace.stop();
        }
        dying.set(null);
        dyingProvider.close();

        Map<String, Map<Integer, Long>> counted = counts(output);
        Map<Integer, Long> steadyCounted = counted.getOrDefault("steady", Map.of());
        for (int w = first; w <= last; w++) {
            long fired = steadyFires.get(w);
            assertThat(fired).as("traced fires of steady in window " + w).isPositive();
            assertThat(steadyCounted.getOrDefault(w, 0L)).as("bpftrace's count of steady in window " + w)
                    .isEqualTo(fired);
            steadyFiresCompared.addAndGet(fired);
        }
        Map<Integer, Long> dyingCounted = counted.getOrDefault("dying", Map.of());
        assertThat(dyingCounted.get(1)).as("fires bpftrace saw after disable() returned").isNull();
        assertThat(dyingCounted.get(0)).as("fires of dying bpftrace saw before disable()").isNotNull()
                .isPositive().isLessThanOrEqualTo(round.fires().get(0));
        assertThat(value(output, "dyingLast")).as("time of the last fire of dying bpftrace saw, against the time"
                + " disable() returned").isLessThan(disabledAt);
    }

    private Runnable firing(int index, Probe steady, DTraceProvider toggled) {
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                iterations.incrementAndGet(index);
                steady.fire(() -> {
                    int now = window;
                    steadyFires.incrementAndGet(now);
                    return new Object[] {now, index};
                });
                DyingProbe round = dying.get();
                if (round != null) {
                    round.fire();
                }
                Probe churned = churnProbes.get(random.nextInt(CHURN_SLOTS));
                if (churned != null) {
                    churned.fire(() -> new Object[] {index, "churn"});
                }
                toggled.fire("t" + random.nextInt(TOGGLED_PROBES), () -> new Object[] {index, "toggled"});
                // probes added while this runs
                toggled.findProbe("added" + (1 + random.nextInt(9)))
                        .ifPresent(added -> added.fire(() -> new Object[] {index, "added"}));
            }
        };
    }

    /** Adds probes to an enabled provider (each loaded in an object of its own) while it is fired and traced. */
    private void addProbes(DTraceProvider provider) {
        for (int i = 1; i <= MAX_PROBES_ADDED && !stop.get(); i++) {
            provider.addProbe("added" + i, "int", "char *");
            if (i % 10 == 0) {
                provider.enable();
            }
            pause(200);
        }
    }

    /**
     * Disables and enables a provider the firing threads fire by name. After each enable its semaphores are set as
     * a tracer would set them, so that fires really enter native code while the next disable() runs.
     */
    private void toggle(DTraceProvider provider) {
        while (!stop.get()) {
            provider.enable();
            pretendTraced(provider.probes());
            pause(2);
            provider.disable();
            toggles.incrementAndGet();
        }
    }

    /** Creates, fills, enables, disables, re-enables and closes providers, publishing their probes to be fired. */
    private void churn(String prefix, int firstSlot) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            try (DTraceProvider provider = DTraceProvider.create(prefix + churnRounds.incrementAndGet())) {
                for (int i = 0; i < 3; i++) {
                    publish(firstSlot, random, provider.addProbe("c" + i, "int", "char *"));
                }
                provider.enable();
                pause(random.nextInt(5));
                publish(firstSlot, random, provider.addProbe("late", "int", "char *"));
                pause(random.nextInt(5));
                provider.disable();
                provider.enable();
                pause(random.nextInt(5));
            }
        }
    }

    /**
     * Attaches bpftrace to every churned provider over and over. Their objects come and go all the time, so an
     * attach may legitimately fail when an object vanishes while bpftrace opens it; what matters is this process.
     */
    private void traceChurn(String prefix) {
        while (!stop.get()) {
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt:*:" + prefix + "*:* { @fires = count(); }")) {
                churnAttaches.incrementAndGet();
                pause(1000);
            } catch (AssertionError attachRaced) {
                churnAttachesRaced.incrementAndGet();
                pause(100);
            }
        }
    }

    private void publish(int firstSlot, ThreadLocalRandom random, Probe probe) {
        churnProbes.set(firstSlot + random.nextInt(CHURN_SLOTS / 2), probe);
    }

    /** Waits until every firing thread has finished the iteration it is in now, and with it any fire in flight. */
    private void quiesce() throws InterruptedException {
        long[] now = new long[FIRING_THREADS];
        for (int t = 0; t < FIRING_THREADS; t++) {
            now[t] = iterations.get(t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int t = 0; t < FIRING_THREADS; t++) {
            while (iterations.get(t) <= now[t]) {
                assertThat(System.nanoTime() - deadline).as("firing thread " + t + " stuck").isNegative();
                Thread.sleep(1);
            }
        }
    }

    private long totalIterations() {
        long total = 0;
        for (int t = 0; t < FIRING_THREADS; t++) {
            total += iterations.get(t);
        }
        return total;
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A scalar of bpftrace's map dump, {@code @name: value}. */
    private static long value(List<String> output, String name) {
        String prefix = "@" + name + ": ";
        return output.stream().filter(line -> line.startsWith(prefix))
                .mapToLong(line -> Long.parseLong(line.substring(prefix.length()))).findFirst()
                .orElseThrow(() -> new AssertionError("no @" + name + " in bpftrace's output: " + output));
    }

    /** bpftrace's map dump by map name and first key, summed over the second key. */
    private static Map<String, Map<Integer, Long>> counts(List<String> output) {
        Map<String, Map<Integer, Long>> counts = new HashMap<>();
        for (String line : output) {
            Matcher matcher = COUNT.matcher(line);
            if (matcher.matches()) {
                counts.computeIfAbsent(matcher.group(1), map -> new HashMap<>())
                        .merge(Integer.parseInt(matcher.group(2)), Long.parseLong(matcher.group(3)), Long::sum);
            }
        }
        return counts;
    }
}
