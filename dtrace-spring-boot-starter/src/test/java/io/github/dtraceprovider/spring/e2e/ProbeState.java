package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;

import io.github.dtraceprovider.core.Probe;

import static org.assertj.core.api.Assertions.fail;

/**
 * bpftrace prints "Attaching N probes..." just before it attaches, so a test that needs a probe to be traced at a
 * given moment waits for the probe itself to say so.
 */
final class ProbeState {

    private ProbeState() {
    }

    static void awaitTraced(Probe probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!probe.isEnabled()) {
            if (System.nanoTime() - deadline > 0) {
                fail("probe " + probe.name() + " is still not traced after " + timeout);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
