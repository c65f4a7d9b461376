package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.time.Duration;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A native library forks this JVM without exec, and its child calls exit(), which runs the exit hooks: the child
 * must leave the provider's object and lock alone, and the probes stay traceable.
 */
class ForkWithoutExecTest {

    private static final int WNOHANG = 1;
    private static final int SIGKILL = 9;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    /**
     * libc, bound by direct mapping: a call allocates nothing in Java, which matters in the child of a fork of a
     * JVM, where only the forking thread exists (no GC, no JIT, no VM thread).
     */
    static final class Libc {

        static {
            Native.register(Libc.class, NativeLibrary.getInstance("c"));
        }

        private Libc() {
        }

        static native int fork();

        static native void exit(int status);

        static native int waitpid(int pid, int[] status, int options);

        static native int kill(int pid, int signal);
    }

    @Test
    void aChildThatCallsExitLeavesTheParentsObjectLockAndProbes() throws InterruptedException {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        String name = uniqueName("fork");
        try (DTraceProvider provider = DTraceProvider.builder(name).directory(directory).build()) {
            Probe tick = provider.addProbe("tick", "int n");
            provider.enable();
            Path object = provider.objectPaths().get(0);
            Path lock = lockOf(object);

            int status = forkAChildThatCallsExit();
            assertThat(status & 0x7f).as("the child exited normally (wait status %#x)", status).isZero();
            assertThat(status >> 8 & 0xff).as("the child's exit code").isZero();

            assertThat(object).exists();
            assertThat(lock).exists();
            assertThat(Tools.run(Duration.ofSeconds(10), "flock", "--nonblock", lock.toString(), "true").exitCode())
                    .as("the lock is still held").isEqualTo(1);
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":tick { printf(\"tick %ld\\n\", arg0); }")) {
                bpftrace.awaitLine("tick 42", TIMEOUT, () -> tick.fire(() -> new Object[] {42}));
            }
        }
    }

    /** Forks; the child calls exit(0) at once. Returns its wait status, or fails if it does not exit in time. */
    private static int forkAChildThatCallsExit() throws InterruptedException {
        int child = Libc.fork();
        if (child == 0) {
            Libc.exit(0);
        }
        assertThat(child).as("fork()").isPositive();
        int[] status = new int[1];
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (Libc.waitpid(child, status, WNOHANG) == 0) {
            if (System.nanoTime() - deadline > 0) {
                Libc.kill(child, SIGKILL);
                Libc.waitpid(child, status, 0);
                throw new AssertionError("The forked child did not exit within " + CHILD_TIMEOUT);
            }
            Thread.sleep(10);
        }
        return status[0];
    }

    /** DIR/TAG.lock for the object DIR/MODULE.PID.TAG.SEQ.so. */
    private static Path lockOf(Path object) {
        String[] parts = object.getFileName().toString().split("\\.");
        return object.resolveSibling(parts[2] + ".lock");
    }
}
