package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.ChildJvm;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two JVMs (two instances of one service) with the same provider and module name, in the same directory: each has
 * its own object file, and a tracer attached to one process sees that process's fires only.
 */
class TwoProcessesSameProviderTest {

    @TempDir
    Path dir;

    @Test
    void sameProviderInTwoJvmsIsTracedSeparately() {
        Bpftrace.assumeAvailable();
        String name = uniqueName("twin");
        String program = "usdt::" + name + ":tick { printf(\"%ld\\n\", arg0); }";
        try (ChildJvm child = ChildJvm.start(ProviderChild.class, List.of(), Map.of(), name, dir.toString());
                DTraceProvider provider = DTraceProvider.builder(name).directory(dir).build()) {
            Path childObject = Path.of(child.awaitLine("OBJECT ", TIMEOUT));
            Probe tick = provider.addProbe("tick", "int pid");
            provider.enable();
            Path ownObject = provider.objectPaths().get(0);
            assertThat(ownObject).isNotEqualTo(childObject);
            assertThat(ownObject.getParent()).isEqualTo(childObject.getParent());

            try (Bpftrace childTracer = Bpftrace.attach(child.pid(), program);
                    Bpftrace ownTracer = Bpftrace.attach(PID, program)) {
                awaitTraced(tick);
                // the child fires tick(its pid) every millisecond by itself
                childTracer.awaitLines(Long.toString(child.pid()), 20, TIMEOUT);
                ownTracer.awaitLines(Long.toString(PID), 20, TIMEOUT, () -> tick.fire(() -> new Object[] {PID}));
                assertThat(childTracer.stop()).isNotEmpty().containsOnly(Long.toString(child.pid()));
                assertThat(ownTracer.stop()).isNotEmpty().containsOnly(Long.toString(PID));
            }
            assertThat(childObject).as("the child's object survives this provider's enable").exists();
        }
    }
}
