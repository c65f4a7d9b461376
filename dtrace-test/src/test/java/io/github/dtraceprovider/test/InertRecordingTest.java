package io.github.dtraceprovider.test;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.jna.Platform;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorder works where providers are inert (another operating system or architecture, as on a developer's laptop):
 * checked in a child JVM whose class path lacks the dtrace-native artifact, as dtrace-core's UnsupportedPlatformTest
 * does.
 */
class InertRecordingTest {

    @Test
    void aRecorderRecordsTheProbesOfAnInertProvider() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Tools.Result result = Tools.run(Duration.ofSeconds(60), java,
                "-cp", classPathWithoutNativeLibrary(), InertMain.class.getName());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdoutLines()).as(result.describe()).containsExactly(
                "inert: true",
                "enabled while recorded: true",
                "recorded: inert_recorded:order-placed(42, \"alice\", \"{\"total\":1250}\") on thread \"main\"",
                "enabled after close: false");
    }

    private String classPathWithoutNativeLibrary() throws Exception {
        String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("dtraceprovider");
        URL library = getClass().getClassLoader().getResource(resource);
        assertThat(library).as(resource + " on the test classpath").isNotNull();
        // jar:file:/...jar!/linux-x86-64/lib.so or file:/.../classes/linux-x86-64/lib.so
        String location = library.toString().startsWith("jar:")
                ? Path.of(new URI(library.toString().substring(4, library.toString().indexOf("!/")))).toString()
                : Path.of(library.toURI()).getParent().getParent().toString();
        List<String> classpath = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> withoutNative = classpath.stream()
                .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(location))
                .toList();
        assertThat(withoutNative).as(location + " in " + classpath).hasSize(classpath.size() - 1);
        return String.join(File.pathSeparator, withoutNative);
    }

    /** Runs in the child JVM and prints what it saw. */
    public static final class InertMain {

        public static void main(String[] args) {
            System.out.println("inert: " + !DTraceProvider.isSupported());
            try (DTraceProvider provider = DTraceProvider.create("inert_recorded")) {
                Probe placed = provider.addProbe("order-placed", "int id", "char * customer", "json order");
                provider.enable();
                try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                    System.out.println("enabled while recorded: " + placed.isEnabled());
                    placed.fire(() -> new Object[] {42, "alice", Map.of("total", 1250)});
                    recorder.fires("order__placed").forEach(fire -> System.out.println("recorded: " + fire));
                }
                System.out.println("enabled after close: " + placed.isEnabled());
            }
        }
    }
}
