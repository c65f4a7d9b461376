package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.PerfProbes;
import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * perf after the application restarts. perf's build-id cache links a build ID to the first object it was given with
 * it; were the objects of one definition to share a build ID (they have the same bytes), {@code perf buildid-cache
 * --add} of the next run's object would find the ID "already linked" to the exited run's object, and {@code perf probe
 * -x} on it fail with "No such file or directory".
 */
class PerfRestartTest {

    /** No pid in it: the same definition in both runs, as an application's provider is. */
    private static final String PROVIDER = "perfrestart";

    @TempDir
    Path dir;

    @Test
    void perfTracesTheSameProviderInTheNextJvmAfterTheFirstExited() throws Exception {
        PerfProbes.assumeAvailable();
        Path objects = Files.createDirectory(dir.resolve("objects"));
        try (ChildJvm first = start(objects)) {
            long firstPid = Long.parseLong(first.awaitLine("PID ", TIMEOUT));
            String firstObject = first.awaitLine("OBJECT ", TIMEOUT);
            // closed last: the first run's object stays in perf's build-id cache while the second run is traced
            try (PerfProbes firstEvents = PerfProbes.add(Path.of(firstObject), PROVIDER, "tick")) {
                assertPerfRecordsTicks(firstEvents, firstPid, firstObject, "first");
                firstEvents.removeEvents(); // the user's session ends
                first.close(); // and the application exits
                assertThat(Path.of(firstObject)).as("the first run's object is gone with it").doesNotExist();

                try (ChildJvm second = start(objects)) {
                    long secondPid = Long.parseLong(second.awaitLine("PID ", TIMEOUT));
                    String secondObject = second.awaitLine("OBJECT ", TIMEOUT);
                    try (PerfProbes secondEvents = PerfProbes.add(Path.of(secondObject), PROVIDER, "tick")) {
                        assertPerfRecordsTicks(secondEvents, secondPid, secondObject, "second");
                        assertThat(secondEvents.buildId()).as("the build IDs of the two runs' objects")
                                .isNotEqualTo(firstEvents.buildId());
                    }
                }
            }
        }
    }

    private static ChildJvm start(Path objects) {
        return ChildJvm.start(ProviderChild.class, List.of(), Map.of(), PROVIDER, objects.toString());
    }

    private void assertPerfRecordsTicks(PerfProbes events, long pid, String object, String run) throws Exception {
        String tick = events.event("tick");
        Tools.Result script;
        try (PerfRecord record = PerfRecord.start(Files.createDirectory(dir.resolve(run)), pid, tick)) {
            events.awaitHits("tick", 3);
            record.stop();
            script = record.script();
        }
        assertThat(PerfRecord.arguments(script, tick)).as(run + " run: " + script.describe()).isNotEmpty()
                .containsOnly("arg1=" + pid + " arg2=\"" + object + "\"");
    }
}
