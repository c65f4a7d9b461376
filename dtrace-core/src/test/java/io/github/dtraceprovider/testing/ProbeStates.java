package io.github.dtraceprovider.testing;

import java.time.Duration;

import io.github.dtraceprovider.core.Probe;

/**
 * Waits on what a tracer does to probes. bpftrace 0.17 and 0.23 print their attach line just before they attach, so a
 * test that needs a probe traced at a given moment waits for the probe itself to say so: its semaphore is set.
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
}
