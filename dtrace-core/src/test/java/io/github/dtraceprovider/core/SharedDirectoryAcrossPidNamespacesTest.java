package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Containers of one pod often share a directory (an emptyDir volume on /tmp) and run as the same user, but each has
 * its own PID namespace: pids there are not unique (every container's JVM may be pid 1) and one container cannot
 * see another's processes. A live object must survive whatever another container's JVM does in that directory.
 *
 * <p>The native core names objects MODULE.PID.TAG.SEQ.so with a random per-process TAG and tells a live owner by
 * the flock it holds on TAG.lock, which works whatever the pids.
 */
class SharedDirectoryAcrossPidNamespacesTest {

    private static final List<String> OWN_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--mount-proc");

    @TempDir
    Path dir;

    @BeforeEach
    void needsUnshare() {
        Tools.assumeCommand("unshare");
        assertThat(DTraceProvider.unsupportedReason()).isEmpty();
    }

    @Test
    void enableInAnotherPidNamespaceKeepsTheObjectOfThisLiveProcess() {
        try (DTraceProvider provider = DTraceProvider.builder(uniqueName("visible")).directory(dir).build()) {
            provider.addProbe("tick", "int pid");
            provider.enable();
            Path ownObject = provider.objectPaths().get(0);
            try (ChildJvm isolated = ChildJvm.start(OWN_PID_NAMESPACE, ProviderChild.class, List.of(), Map.of(),
                    uniqueName("isolated"), dir.toString())) {
                assertThat(Path.of(isolated.awaitLine("OBJECT ", TIMEOUT))).exists();
                assertThat(ownObject).as("this live process's object, after an enable in another PID namespace")
                        .exists();
            }
        }
    }

    @Test
    void twoJvmsWithTheSamePidInTheirNamespacesKeepTheirOwnObjects() {
        String name = uniqueName("samepid");
        try (ChildJvm first = ChildJvm.start(OWN_PID_NAMESPACE, ProviderChild.class, List.of(), Map.of(), name,
                dir.toString());
                ChildJvm second = ChildJvm.start(OWN_PID_NAMESPACE, ProviderChild.class, List.of(), Map.of(), name,
                        dir.toString())) {
            Path firstObject = Path.of(first.awaitLine("OBJECT ", TIMEOUT));
            Path secondObject = Path.of(second.awaitLine("OBJECT ", TIMEOUT));
            assertThat(secondObject).isNotEqualTo(firstObject);
            assertThat(firstObject).exists();
            assertThat(secondObject).exists();
        }
    }
}
