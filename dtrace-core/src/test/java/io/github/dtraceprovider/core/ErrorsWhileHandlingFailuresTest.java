package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.ProbeStates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A traced fire whose supplier fails while the stack or the heap is all but exhausted: describing, counting and
 * logging that failure then fails too, with a StackOverflowError or an OutOfMemoryError, and none of it may leave
 * fire(). The probe's semaphore is set by the test, as the kernel does when a tracer attaches.
 *
 * <p>Each case runs in a child JVM in interpreted mode ({@code -Xint}). Compiled code can need the JVM to
 * de-optimise it before a handler runs, which takes stack (and heap, to rebuild objects the compiler left out); when
 * none is left the JVM raises its error at the call instead, out of reach of any handler of the library. That is
 * where the promise ends, and why the library's own handling is checked without the compiler.
 */
class ErrorsWhileHandlingFailuresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void stackOverflowWhileHandlingAFailureNeverLeavesFire() {
        List<String> report = runChild("stack");
        // A StackOverflowError can still come from calling fire() itself, or isEnabled() from it, without stack left,
        // as from any method: none may come from further inside.
        assertThat(report).filteredOn(line -> line.startsWith("inside ")).isEmpty();
        assertThat(report).anyMatch(line -> line.matches("failures [1-9]\\d*"));
    }

    @Test
    void outOfMemoryWhileHandlingAFailureNeverLeavesFire() {
        List<String> report = runChild("heap");
        assertThat(report).filteredOn(line -> line.startsWith("inside ") || line.startsWith("escaped ")).isEmpty();
        // counting the failure may itself run out of memory: that the supplier failed each time is what counts here
        assertThat(report).contains("filled 5");
    }

    private List<String> runChild(String mode) {
        try (ChildJvm child = ChildJvm.start(Child.class, List.of("-Xint", "-Xmx16m", "-XX:+UseSerialGC"), Map.of(), mode,
                dir.toString())) {
            String summary = child.awaitLine("DONE ", TIMEOUT);
            assertThat(child.awaitExit()).as(child.stderr()).isZero();
            return List.of(summary.split("; "));
        }
    }

    /**
     * Runs in the child JVM: fires a traced probe whose supplier fails at the end of the stack ({@code stack}) or
     * with the heap full ({@code heap}), ROUNDS or HEAP_ROUNDS times, and prints {@code DONE} and, separated by "; ", {@code failures N}, {@code filled N} (the heap), then one
     * {@code inside ERROR FRAMES} per error that left fire() from inside it and one {@code escaped ERROR} per other
     * error that left it.
     */
    public static final class Child {

        private static final int ROUNDS = 20;
        private static final int HEAP_ROUNDS = 5;
        private static final Throwable[] ESCAPED = new Throwable[64];
        private static int escapes;
        /** What fills the heap: a chain of nodes {previous node, chunk}, which needs no array to grow. */
        private static Object[] hog;
        private static int fills;

        public static void main(String[] args) throws InterruptedException {
            DTraceProvider provider = DTraceProvider.builder("handling" + ProcessHandle.current().pid())
                    .directory(Path.of(args[1])).build();
            Probe probe = provider.addProbe("p", "int");
            provider.enable();
            ProbeStates.pretendTraced(probe);
            if (args[0].equals("stack")) {
                IllegalStateException broke = new IllegalStateException("supplier broke");
                Supplier<Object[]> failing = () -> {
                    throw broke;
                };
                // a small stack keeps each recursion short
                Thread thread = new Thread(null, () -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        fireNearTheEndOfTheStack(probe, failing);
                    }
                }, "small-stack", 256 * 1024);
                thread.start();
                thread.join();
            } else {
                for (int round = 0; round < HEAP_ROUNDS; round++) {
                    try {
                        probe.fire(Child::fillTheHeap);
                    } catch (Throwable escaped) {
                        keep(escaped);
                    }
                    hog = null;
                }
            }
            List<String> report = new ArrayList<>();
            report.add("failures " + probe.failureCount());
            report.add("filled " + fills);
            for (int i = 0; i < Math.min(escapes, ESCAPED.length); i++) {
                Throwable escaped = ESCAPED[i];
                boolean inside = Arrays.stream(escaped.getStackTrace()).anyMatch(Child::isInsideFire);
                report.add((inside ? "inside " : "escaped ") + escaped + " "
                        + Arrays.toString(Arrays.copyOf(escaped.getStackTrace(), 4)));
            }
            System.out.println("DONE " + String.join("; ", report));
            provider.close();
        }

        /** Recurses until the stack overflows, then fires at each of the 1,000 levels above that on the way back. */
        private static int fireNearTheEndOfTheStack(Probe probe, Supplier<Object[]> supplier) {
            int height;
            try {
                height = fireNearTheEndOfTheStack(probe, supplier) + 1;
            } catch (StackOverflowError end) {
                height = 0;
            }
            if (height < 1000) {
                try {
                    probe.fire(supplier);
                } catch (Throwable escaped) {
                    keep(escaped);
                }
            }
            return height;
        }

        /** Keeps an error without calling a method or allocating: there may be no stack or heap left for that. */
        private static void keep(Throwable escaped) {
            if (escapes < ESCAPED.length) {
                ESCAPED[escapes] = escaped;
            }
            escapes++;
        }

        /** A supplier that fills the heap with objects it keeps, down to the last few bytes, and then fails. */
        private static Object[] fillTheHeap() {
            fills++;
            OutOfMemoryError full = null;
            for (int size = 1 << 16; size > 0; size /= 2) {
                try {
                    while (true) {
                        hog = new Object[] {hog, new byte[size]};
                    }
                } catch (OutOfMemoryError e) {
                    full = e;
                }
            }
            throw full;
        }

        /** A frame of the library below Probe.fire() and Probe.isEnabled(). */
        private static boolean isInsideFire(StackTraceElement frame) {
            String type = frame.getClassName();
            boolean entry = type.equals(Probe.class.getName())
                    && (frame.getMethodName().equals("fire") || frame.getMethodName().equals("isEnabled"));
            return type.startsWith("io.github.dtraceprovider.core.") && !type.startsWith(Child.class.getName())
                    && !entry;
        }
    }
}
