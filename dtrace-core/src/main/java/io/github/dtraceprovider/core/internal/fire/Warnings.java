package io.github.dtraceprovider.core.internal.fire;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the warnings that fires raise (a probe's first problem, an unknown probe name) to {@code System.Logger}
 * {@code io.github.dtraceprovider} from a thread of its own, so that a slow or blocked logging backend never stalls
 * the thread that fires. {@link #warn} only queues the message, without a lock; while {@value #MAX_PENDING} messages
 * wait, further ones are dropped (their fires are counted all the same). The writing thread ends once the queue is
 * empty, so none is left behind.
 */
public final class Warnings {

    private static final System.Logger LOG = System.getLogger("io.github.dtraceprovider");
    private static final int MAX_PENDING = 64;
    private static final Queue<String> PENDING = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger PENDING_COUNT = new AtomicInteger();
    /** True while a writing thread runs (or is being started). */
    private static final AtomicBoolean WRITING = new AtomicBoolean();

    private Warnings() {
    }

    /** Queues a warning for the log. Never blocks, never throws. */
    public static void warn(String message) {
        try {
            if (PENDING_COUNT.incrementAndGet() > MAX_PENDING) {
                PENDING_COUNT.decrementAndGet();
                return;
            }
            PENDING.add(message);
            if (WRITING.compareAndSet(false, true)) {
                startWriter();
            }
        } catch (Throwable dropped) {
            // no memory or no thread to spare: the fire matters more than its warning
        }
    }

    private static void startWriter() {
        try {
            // no inherited thread locals: the writer must not keep the firing thread's values alive
            Thread writer = new Thread(null, Warnings::write, "dtrace-provider-warnings", 0, false);
            writer.setDaemon(true);
            writer.start();
        } catch (Throwable e) {
            // the next warning tries again
            WRITING.set(false);
            throw e;
        }
    }

    private static void write() {
        do {
            String message;
            while ((message = PENDING.poll()) != null) {
                PENDING_COUNT.decrementAndGet();
                try {
                    LOG.log(System.Logger.Level.WARNING, message);
                } catch (Throwable ignored) {
                    // a broken logger loses this warning, not the next ones
                }
            }
            WRITING.set(false);
            // a message queued after the last poll but before the flag was cleared started no writer: take it here
        } while (!PENDING.isEmpty() && WRITING.compareAndSet(false, true));
    }
}
