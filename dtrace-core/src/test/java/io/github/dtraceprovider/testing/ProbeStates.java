package io.github.dtraceprovider.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.github.dtraceprovider.core.Probe;

/**
 * What a tracer does to probes: waiting for a real tracer to attach, or pretending one did. bpftrace 0.17 and 0.23
 * print their attach line just before they attach, so a test that needs a probe traced at a given moment waits for
 * the probe itself to say so: its semaphore is set. A test that needs a fire to reach native code without a tracer
 * (to race it with disable(), say) sets the semaphore the way the kernel does for a tracer.
 */
public final class ProbeStates {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProbeStates() {
    }

    /** Waits until a tracer has set the semaphores of all these probes; fails after 30 s. */
    public static void awaitTraced(Probe... probes) {
        for (Probe probe : probes) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!probe.isEnabled()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(probe + " is still not traced after " + TIMEOUT);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted waiting until " + probe + " is traced", e);
                }
            }
        }
    }

    /**
     * Sets the semaphores of these loaded probes as a tracer attaching to them does, so that they fire into native
     * code (where no tracer sees it). Fails for a probe that is not loaded. Undone by the next disable(), or by
     * {@link #pretendUntraced}.
     */
    public static void pretendTraced(Probe... probes) {
        pretendTraced(List.of(probes));
    }

    /** Like {@link #pretendTraced(Probe...)}. */
    public static void pretendTraced(Collection<Probe> probes) {
        SdtSemaphores.set(probes, 1);
    }

    /** Clears the semaphores of these loaded probes as the last tracer detaching from them does. */
    public static void pretendUntraced(Probe... probes) {
        SdtSemaphores.set(List.of(probes), 0);
    }
}
