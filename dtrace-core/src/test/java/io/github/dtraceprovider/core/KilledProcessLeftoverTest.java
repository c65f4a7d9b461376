package io.github.dtraceprovider.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;

import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM killed with SIGKILL cannot remove its object file; the next enable in the same directory, by any process of
 * the user, does. Files of processes that are still alive stay, and a process that exits normally removes its own.
 */
class KilledProcessLeftoverTest {

    @TempDir
    Path dir;

    @Test
    void nextEnableRemovesTheObjectOfAKilledJvmAndKeepsTheOnesOfLiveProcesses() {
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        String name = uniqueName("killed");
        Path killedObject;
        try (ChildJvm killed = child(name)) {
            killedObject = Path.of(killed.awaitLine("OBJECT ", TIMEOUT));
            assertThat(killedObject.getFileName().toString()).matches(name + "\\." + killed.pid() + "\\.[0-9a-f]{16}\\.1\\.so");
            killed.kill();
        }
        assertThat(killedObject).as("SIGKILL leaves the file behind").exists();

        try (ChildJvm alive = child(uniqueName("alive"))) {
            Path aliveObject = Path.of(alive.awaitLine("OBJECT ", TIMEOUT));
            assertThat(killedObject).as("a child enabled in between, so the leftover is gone already")
                    .doesNotExist();
            try (DTraceProvider provider = DTraceProvider.builder(name).directory(dir).build()) {
                provider.addProbe("tick", "int pid");
                provider.enable();
                Path ownObject = provider.objectPaths().get(0);
                assertThat(files(ownObject.getParent())).containsExactlyInAnyOrder(ownObject, aliveObject);
                assertThat(entries(ownObject.getParent(), ".lock")).as("the lock files of the live processes only")
                        .hasSize(2);
            }
            alive.close();
            assertThat(alive.awaitExit()).isZero();
            assertThat(aliveObject).as("a normal exit removes the process's own file").doesNotExist();
        }
    }

    @Test
    void leftoverIsRemovedByTheEnableOfThisJvm() {
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        String name = uniqueName("killed");
        Path killedObject;
        try (ChildJvm killed = child(name)) {
            killedObject = Path.of(killed.awaitLine("OBJECT ", TIMEOUT));
            killed.kill();
        }
        assertThat(killedObject).exists();
        try (DTraceProvider provider = DTraceProvider.builder(name).directory(dir).build()) {
            provider.addProbe("tick", "int pid");
            provider.enable();
            assertThat(killedObject).doesNotExist();
            assertThat(files(killedObject.getParent())).containsExactlyElementsOf(provider.objectPaths());
        }
    }

    private ChildJvm child(String name) {
        return ChildJvm.start(ProviderChild.class, List.of(), Map.of(), name, dir.toString());
    }

    /** The object files; each live process also holds a TAG.lock there. */
    private static List<Path> files(Path directory) {
        return entries(directory, ".so");
    }

    private static List<Path> entries(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
