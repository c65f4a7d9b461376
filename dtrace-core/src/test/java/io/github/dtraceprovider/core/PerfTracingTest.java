package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.PerfProbes;
import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.await;
import static org.assertj.core.api.Assertions.assertThat;

/** perf reads all twelve arguments of a probe, integers and strings, by the probe's note name. */
class PerfTracingTest {

    @TempDir
    Path dir;

    @Test
    void perfReadsAllTwelveArgumentsOfAProbeDeclaredWithHyphens() throws Exception {
        PerfProbes.assumeAvailable();
        // the events are in a group of the test's own (PerfProbes), so the name needs no pid to keep clear of others'
        String name = "perftest";
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            // strings both in registers and on the stack (arguments 7 to 12 are on the stack on x86-64)
            Probe probe = provider.addProbe("order-placed", "long id", "long min", "char * customer", "long max",
                    "long negative", "char * empty", "long seventh", "char * city", "long ninth", "long tenth",
                    "char * note", "long twelfth");
            provider.enable();
            try (PerfProbes events = PerfProbes.add(probe.objectPath().orElseThrow(), name, "order__placed")) {
                String event = events.event("order__placed");
                assertThat(events.definitions()).as("perf added the probe by its note name").singleElement()
                        .asString().startsWith("p:" + events.group() + "/order__placed ");
                Tools.Result script;
                try (PerfRecord record = PerfRecord.start(dir, PID, event)) {
                    await("perf increments the semaphore", probe::isEnabled);
                    for (long i = 1; i <= 3; i++) {
                        long id = i;
                        probe.fire(() -> new Object[] {id, Long.MIN_VALUE, "héllo wörld ✓", Long.MAX_VALUE, -id, "",
                                7, "Zürich", 9, 10, "note " + id, 12 * id});
                    }
                    record.stop();
                    script = record.script();
                }
                List<String> arguments = PerfRecord.arguments(script, event);
                List<String> expected = new ArrayList<>();
                for (long i = 1; i <= 3; i++) {
                    expected.add("arg1=" + i + " arg2=-9223372036854775808 arg3=\"héllo wörld ✓\""
                            + " arg4=9223372036854775807 arg5=-" + i + " arg6=\"\" arg7=7 arg8=\"Zürich\" arg9=9"
                            + " arg10=10 arg11=\"note " + i + "\" arg12=" + 12 * i);
                }
                assertThat(arguments).as(script.describe()).containsExactlyElementsOf(expected);
                assertThat(probe.fireCount()).isEqualTo(3);
            }
            await("the semaphore is released once perf's events are gone", () -> !probe.isEnabled());
        }
    }
}
