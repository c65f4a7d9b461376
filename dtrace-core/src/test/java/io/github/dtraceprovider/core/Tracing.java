package io.github.dtraceprovider.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Shared bits of the end-to-end tests, which trace this very JVM. */
final class Tracing {

    static final long PID = ProcessHandle.current().pid();
    /** The effective uid, which names the private directory dtrace-provider-UID. */
    static final int UID = uid();
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The tests know the two calling conventions themselves, to hold the notes and the tracers against them. */
    static final boolean X86_64 = System.getProperty("os.arch").matches("amd64|x86_64");
    /** Arguments passed in registers: arg0..arg5 on x86-64, arg0..arg7 on aarch64; the rest are on the stack. */
    static final int REGISTER_ARGS = X86_64 ? 6 : 8;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Tracing() {
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of a directory, such as /proc/self/fd. */
    static long count(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a file, such as /proc/self/maps. */
    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A provider name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + COUNTER.incrementAndGet();
    }

    static Supplier<Object[]> mustNotRun() {
        return () -> {
            throw new AssertionError("the supplier must not run while the probe is not traced");
        };
    }

    /** Polls until the condition holds; fails after {@link #TIMEOUT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + TIMEOUT + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + what, e);
            }
        }
    }
}
