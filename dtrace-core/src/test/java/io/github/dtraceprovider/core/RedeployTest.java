package io.github.dtraceprovider.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redeploys of an application that bundles dtrace-core, as a servlet container does them: each cycle loads a copy of
 * the library in a class loader of its own, creates, enables, fires and closes a provider, then drops the loader.
 * Nothing of this project may keep a thread or the loader per cycle. What JNA keeps when each copy brings its own is
 * JNA's: the figures are printed for docs/hardening.md, and only this project's threads are checked.
 */
class RedeployTest {

    private static final int CYCLES = 20;
    /** Threads that may come and go meanwhile: a JVM's own (compiler, GC), another test's leftover ending. */
    private static final int THREAD_SLACK = 3;
    private static final Duration COLLECTION_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void with_jna_in_a_shared_loader_no_thread_and_no_loader_is_left_per_redeploy() throws IOException {
        assumeTrue(DTraceProvider.isSupported(), "the native library does not load here");
        try (URLClassLoader jna = IsolatedCopy.sharedJna()) {
            // The first cycle starts what the shared JNA keeps for all: its native library and its cleaner thread. That
            // thread, started from the copy's call, keeps that one copy loaded on Java 17 to 23 (a thread inherits its
            // creator's access control context there) for as long as it runs: JNA's, and one copy, not one per cycle.
            redeploy(() -> IsolatedCopy.sharingJna(jna));
            Footprint before = awaitFootprint(footprint -> false, Duration.ofSeconds(2)); // two seconds of collections

            List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                loaders.add(redeploy(() -> IsolatedCopy.sharingJna(jna)));
            }
            long collected = awaitCollected(loaders);
            Footprint after = awaitFootprint(now -> now.threads <= before.threads + THREAD_SLACK, COLLECTION_TIMEOUT);
            System.out.println("shared JNA, " + CYCLES + " redeploys: " + collected + " loaders collected; "
                    + before + " -> " + after);

            assertThat(collected).as("loaders collected of " + CYCLES).isEqualTo(CYCLES);
            assertThat(after.threads).as("threads after " + CYCLES + " redeploys: " + after.threadNames)
                    .isLessThanOrEqualTo(before.threads + THREAD_SLACK);
        }
    }

    @Test
    void with_jna_in_each_loader_no_thread_of_this_project_is_left_per_redeploy() {
        assumeTrue(DTraceProvider.isSupported(), "the native library does not load here");
        Footprint before = Footprint.now();

        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            loaders.add(redeploy(IsolatedCopy::withOwnJna));
        }
        // JNA keeps each copy: its cleaner thread, a class of that copy, runs while the copy's library is loaded
        Footprint after = awaitFootprint(now -> ownThreads(now) <= ownThreads(before) + THREAD_SLACK,
                COLLECTION_TIMEOUT);
        long collected = loaders.stream().filter(loader -> loader.get() == null).count();
        System.out.println("JNA in each loader, " + CYCLES + " redeploys: " + collected + " loaders collected; "
                + before + " -> " + after);

        assertThat(ownThreads(after)).as("threads other than JNA's: " + after.threadNames)
                .isLessThanOrEqualTo(ownThreads(before) + THREAD_SLACK);
    }

    /** One deployment's life: a copy creates, enables, fires and closes a provider, then is dropped. */
    private static WeakReference<ClassLoader> redeploy(Supplier<IsolatedCopy> load) {
        try (IsolatedCopy copy = load.get()) {
            assertThat(copy.isSupported()).as("the copy loads its native library").isTrue();
            Object provider = copy.create(uniqueName("redeploy"));
            copy.enableAndFire(provider);
            copy.close(provider);
            return new WeakReference<>(copy.loader());
        }
    }

    /** Collects garbage until every loader is gone or the timeout passes; returns how many are gone. */
    private static long awaitCollected(List<WeakReference<ClassLoader>> loaders) {
        long deadline = System.nanoTime() + COLLECTION_TIMEOUT.toNanos();
        while (loaders.stream().anyMatch(loader -> loader.get() != null) && System.nanoTime() < deadline) {
            collectGarbage();
        }
        return loaders.stream().filter(loader -> loader.get() == null).count();
    }

    /**
     * Collects garbage until the process's footprint is {@code settled} or {@code timeout} passes: a cleaner's thread
     * ends at a collection after its cleaner became unreachable.
     */
    private static Footprint awaitFootprint(Predicate<Footprint> settled, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Footprint now = Footprint.now();
        while (!settled.test(now) && System.nanoTime() < deadline) {
            collectGarbage();
            now = Footprint.now();
        }
        return now;
    }

    /** Threads other than JNA's cleaners: one per copy of JNA. */
    private static long ownThreads(Footprint footprint) {
        return footprint.threads - footprint.threadNames.stream().filter(name -> name.equals("JNA Cleaner")).count();
    }

    private static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a redeploy could leave in the process: threads, mappings of deleted files, descriptors. */
    private record Footprint(int threads, List<String> threadNames, long deletedMappings, long descriptors) {

        static Footprint now() {
            List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
            try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"));
                    Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                long deleted = maps.filter(line -> line.endsWith("(deleted)"))
                        .map(line -> line.substring(line.indexOf('/'))).distinct().count();
                return new Footprint(names.size(), names, deleted, fds.count());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return threads + " threads, " + deletedMappings + " deleted files mapped, " + descriptors + " descriptors";
        }
    }
}
