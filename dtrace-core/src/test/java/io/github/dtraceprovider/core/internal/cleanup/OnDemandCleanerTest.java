package io.github.dtraceprovider.core.internal.cleanup;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cleaner behind native providers and the starter's abandoned results: a thread only while it is needed. */
class OnDemandCleanerTest {

    @Test
    void registrations_that_come_and_go_one_at_a_time_share_one_thread() {
        OnDemandCleaner cleaner = new OnDemandCleaner();
        AtomicInteger ran = new AtomicInteger();
        long before = cleanerThreads();
        for (int i = 0; i < 1000; i++) {
            cleaner.register(new Object(), ran::incrementAndGet).clean();
        }
        assertThat(ran).hasValue(1000);
        assertThat(cleanerThreads()).isLessThanOrEqualTo(before + 1);
    }

    @Test
    void its_thread_ends_once_no_action_is_pending() throws InterruptedException {
        OnDemandCleaner cleaner = new OnDemandCleaner();
        long before = cleanerThreads();
        AtomicInteger ran = new AtomicInteger();
        cleaner.register(new Object(), ran::incrementAndGet);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((ran.get() == 0 || cleanerThreads() > before) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ran).as("the action ran when its object became unreachable").hasValue(1);
        assertThat(cleanerThreads()).as("cleaner threads").isLessThanOrEqualTo(before);
    }

    /** Threads of java.lang.ref.Cleaner.create(). */
    private static long cleanerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("Cleaner-"))
                .count();
    }
}
