package io.github.dtraceprovider.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A logging backend that blocks cannot stall a fire: while the handler that receives the library's warnings is
 * stuck, probes keep firing (bpftrace counts every fire), and the warnings are written once the handler is free.
 */
class BlockingLoggerTracingTest {

    private static final int FIRES = 10_000;

    @Test
    void firesCompleteWhileTheLogHandlerBlocks() throws InterruptedException {
        Bpftrace.assumeAvailable();
        String name = uniqueName("blockinglog");
        BlockingHandler handler = new BlockingHandler();
        Logger logger = Logger.getLogger("io.github.dtraceprovider");
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe broken = provider.addProbe("broken", "int");
            Probe coerced = provider.addProbe("coerced", "int");
            Probe fine = provider.addProbe("fine", "int");
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":fine { @fine = count(); }"
                    + " usdt::" + name + ":broken, usdt::" + name + ":coerced { @other = count(); }")) {
                awaitTraced(broken, coerced, fine);
                Thread.sleep(200); // the program is attached a moment after the semaphores are set
                CountDownLatch fired = new CountDownLatch(1);
                Thread firing = new Thread(() -> {
                    broken.fire(() -> {
                        throw new IllegalStateException("supplier broke");
                    });
                    coerced.fire(() -> new Object[] {"not a number"});
                    for (int i = 0; i < FIRES; i++) {
                        int value = i;
                        fine.fire(() -> new Object[] {value});
                    }
                    fired.countDown();
                }, "firing");
                firing.setDaemon(true);
                firing.start();
                try {
                    assertThat(handler.entered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                            .as("the handler received the first warning").isTrue();
                    assertThat(fired.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                            .as("the fires completed while the handler was blocked").isTrue();
                } finally {
                    handler.release.countDown();
                }
                assertThat(bpftrace.stop()).contains("@fine: " + FIRES);
            }
            Tracing.await("both warnings are written", () -> handler.messages().size() >= 2);
            assertThat(handler.messages()).hasSize(2);
            assertThat(handler.messages().get(0)).contains("\"broken\"", "the argument supplier threw");
            assertThat(handler.messages().get(1)).contains("\"coerced\"", "passed 0");
            assertThat(broken.failureCount() + coerced.failureCount()).isEqualTo(2);
            assertThat(fine.fireCount()).isEqualTo(FIRES);
        } finally {
            handler.release.countDown();
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
        }
    }

    /** Blocks in publish() until released, like a backend writing to a full pipe or a dead network share. */
    private static final class BlockingHandler extends Handler {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            messages.add(record.getMessage());
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
