package io.github.dtraceprovider.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fedora and RHEL age /tmp with {@code systemd-tmpfiles --clean} ({@code q /tmp 1777 root root 10d}): a JVM that runs
 * longer would lose its objects. tmpfiles skips a directory that someone holds a BSD lock on (tmpfiles.d(5), "Age"),
 * and a process holds a shared one on its private directory while it has objects there.
 *
 * <p>tmpfiles keeps a file while its atime, mtime, ctime or birth time is newer than the age, and a directory while
 * its atime, mtime or birth time is; ctime and birth time cannot be set back. So the configuration here has age 0,
 * which cleans unconditionally: the most a cleaner ever removes.
 */
class TmpfilesCleanupTest {

    @TempDir
    Path work;

    @Test
    void liveObjectsSurviveTheCleanerAndADeadProcesssObjectsDoNot() throws IOException {
        Tools.assumeCommand("systemd-tmpfiles");
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        Path parent = Files.createDirectory(work.resolve("tmp"));
        Path config = Files.writeString(work.resolve("test.conf"), "e " + parent + " - - - 0\n");
        Path sibling = Files.createDirectory(parent.resolve("other"));
        Files.writeString(sibling.resolve("old.txt"), "a file nobody holds");
        Path killedObject;
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("aged")).directory(parent).build()) {
            provider.addProbe("tick", "int pid");
            provider.enable();
            Path liveObject = provider.objectPaths().get(0);
            try (ChildJvm killed = ChildJvm.start(ProviderChild.class, List.of(), Map.of(), uniqueName("killed"),
                    parent.toString())) {
                killedObject = Path.of(killed.awaitLine("OBJECT ", TIMEOUT));
                killed.kill();
            }

            clean(config);
            assertThat(sibling).as("the cleaner does clean this directory").doesNotExist();
            assertThat(liveObject).exists();
            assertThat(lockOf(liveObject)).exists();
            assertThat(provider.addProbe("later", "int n").objectPath()).as("the directory still works").isPresent();
        }
        assertThat(killedObject).as("nobody scanned since the kill: the leftover is still there").exists();

        clean(config);
        assertThat(killedObject).as("no process holds the directory any more: the cleaner removed the leftover")
                .doesNotExist();
        assertThat(lockOf(killedObject)).doesNotExist();
    }

    private static void clean(Path config) {
        Tools.runOk(Duration.ofSeconds(60), "systemd-tmpfiles", "--clean", config.toString());
    }

    /** DIR/TAG.lock for the object DIR/MODULE.PID.TAG.SEQ.so. */
    private static Path lockOf(Path object) {
        String[] parts = object.getFileName().toString().split("\\.");
        return object.resolveSibling(parts[2] + ".lock");
    }
}
