package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.core.internal.nativecore.NativeProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.count;
import static io.github.dtraceprovider.core.Tracing.lines;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Probes added one by one after enable() each load an object of their own, which costs two memory mappings: an
 * application that adds probes lazily (per route, per tenant) must not be able to use up the process's mappings.
 * The provider accepts them up to {@link NativeProvider#MAX_OBJECTS} objects, each traceable at once, and refuses
 * the rest with a message that says what to do; its objects share one directory descriptor.
 */
class LateProbesTest {

    static final int LATE_CALLS = 30_000;
    /** The JVM opens a few descriptors and mappings of its own meanwhile (JIT, GC, class loading). */
    static final int FD_TOLERANCE = 8;
    static final int MAPPING_TOLERANCE = 64;

    @TempDir
    Path directory;

    @Test
    void thirtyThousandLateProbesCostBoundedDescriptorsAndMappingsAndEveryAcceptedOneIsTraceable() {
        Bpftrace.assumeAvailable();
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        String name = uniqueName("late");
        try (DTraceProvider provider = DTraceProvider.builder(name).directory(directory).build()) {
            provider.addProbe("first", "int n");
            provider.enable();
            long fds = count(Path.of("/proc/self/fd"));
            long mappings = lines(Path.of("/proc/self/maps")).size();

            List<Probe> accepted = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < LATE_CALLS; i++) {
                try {
                    accepted.add(provider.addProbe("late" + i, "int n"));
                } catch (IllegalStateException refused) {
                    refusals.add(refused.getMessage());
                }
                if (i % 1000 == 999) {
                    assertThat(count(Path.of("/proc/self/fd")) - fds).as("descriptors after %d late probes", i + 1)
                            .isLessThanOrEqualTo(FD_TOLERANCE);
                    assertThat(lines(Path.of("/proc/self/maps")).size() - mappings)
                            .as("mappings after %d late probes", i + 1)
                            .isLessThanOrEqualTo(2L * NativeProvider.MAX_OBJECTS + MAPPING_TOLERANCE);
                }
            }

            assertThat(accepted).hasSize(NativeProvider.MAX_OBJECTS - 1);
            assertThat(provider.objectPaths()).hasSize(NativeProvider.MAX_OBJECTS);
            assertThat(refusals).hasSize(LATE_CALLS - accepted.size());
            assertThat(refusals.get(0)).isEqualTo("Cannot add probe \"late63\" to provider \"" + name + "\" while it"
                    + " is enabled: it holds 64 object files already, one per enable() and per probe added after it;"
                    + " add probes before enable(), or call disable() and enable() once to gather them into one"
                    + " object");
            assertThat(provider.findProbe("late63")).as("a refused probe is not defined").isEmpty();
            assertThat(mappingsOf(provider.objectPaths())).as("mappings of the object files")
                    .isEqualTo(2L * NativeProvider.MAX_OBJECTS);

            List<String> expected = new ArrayList<>(List.of("first"));
            accepted.forEach(probe -> expected.add(probe.name()));
            assertThat(listedProbes(name)).containsExactlyInAnyOrderElementsOf(expected);
            Probe last = accepted.get(accepted.size() - 1);
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":" + last.name()
                    + " { printf(\"fired %ld\\n\", arg0); }")) {
                bpftrace.awaitLine("fired 7", TIMEOUT, () -> last.fire(() -> new Object[] {7}));
            }

            // disable() and enable() gather every probe into one object; probes can be added again after it
            provider.disable();
            provider.enable();
            assertThat(provider.objectPaths()).hasSize(1);
            assertThat(provider.addProbe("again", "int n").objectPath()).isPresent();
        }
    }

    /** The probes bpftrace lists for the provider in this process. */
    private static List<String> listedProbes(String provider) {
        Tools.Result result = Tools.runOk(Duration.ofSeconds(60), "bpftrace", "-l", "usdt:*:" + provider + ":*",
                "-p", Long.toString(PID));
        return result.stdoutLines().stream()
                .filter(line -> line.startsWith("usdt:"))
                .map(line -> line.substring(line.lastIndexOf(':') + 1))
                .toList();
    }

    private static long mappingsOf(List<Path> objects) {
        return lines(Path.of("/proc/self/maps")).stream()
                .filter(line -> objects.stream().anyMatch(object -> line.endsWith(" " + object)))
                .count();
    }
}
