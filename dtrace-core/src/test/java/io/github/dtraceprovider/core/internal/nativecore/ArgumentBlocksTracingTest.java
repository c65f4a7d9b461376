package io.github.dtraceprovider.core.internal.nativecore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With every shared argument block in use, a fire still reaches the tracer intact, through a block of its own; once
 * the blocks are free again, fires use them. bpftrace reads the values.
 */
class ArgumentBlocksTracingTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aFireFindsNoFreeBlockAndStillReachesTheTracer() throws InterruptedException {
        Bpftrace.assumeAvailable();
        try (DTraceProvider provider = DTraceProvider.create("argblocks")) {
            Probe probe = provider.addProbe("p", "int n", "char * text", "char * long");
            provider.enable();
            String longText = "x".repeat(5000);
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::argblocks:p"
                    + " { printf(\"%ld %s %s\\n\", arg0, str(arg1), str(arg2 + 4090)); }")) {
                awaitTraced(probe);
                Thread.sleep(200); // the program is attached a moment after the semaphore is set
                List<ArgumentBlocks.Block> taken = new ArrayList<>();
                try {
                    for (ArgumentBlocks.Block block; (block = ArgumentBlocks.take()) != null; ) {
                        taken.add(block);
                    }
                    assertThat(taken).as("blocks taken").isNotEmpty();
                    probe.fire(() -> new Object[] {1, "own block", longText});
                    bpftrace.awaitLine("1 own block xxxxx", TIMEOUT);
                } finally {
                    taken.forEach(ArgumentBlocks::give);
                }
                probe.fire(() -> new Object[] {2, "shared block", longText});
                bpftrace.awaitLine("2 shared block xxxxx", TIMEOUT);
                assertThat(bpftrace.stop()).containsExactly("1 own block xxxxx", "2 shared block xxxxx");
            }
            assertThat(probe.fireCount()).isEqualTo(2);
            assertThat(probe.failureCount()).isZero();
        }
    }
}
