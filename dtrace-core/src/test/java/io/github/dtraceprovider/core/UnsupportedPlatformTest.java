package io.github.dtraceprovider.core;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.sun.jna.Platform;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the native library cannot be loaded, providers are inert but still validate. Checked in a child JVM
 * whose classpath lacks the dtrace-native artifact.
 */
class UnsupportedPlatformTest {

    @Test
    void providersAreInertWithoutTheNativeLibrary() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
        Tools.Result result = Tools.run(Duration.ofSeconds(60), java,
                "-cp", String.join(File.pathSeparator, withoutNative), InertMain.class.getName());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        List<String> lines = result.stdoutLines();
        assertThat(lines).as(result.describe()).hasSize(2);
        assertThat(lines.get(0)).startsWith("reason: cannot load the native library dtraceprovider: "
                + "UnsatisfiedLinkError: Unable to load library 'dtraceprovider'");
        assertThat(lines.get(1)).isEqualTo("inert");
    }

    /** Runs in the child JVM; prints the reason, then "inert" if everything behaved. */
    public static final class InertMain {

        public static void main(String[] args) {
            check(!DTraceProvider.isSupported(), "isSupported() is false");
            System.out.println("reason: " + DTraceProvider.unsupportedReason().orElseThrow());
            DTraceProvider provider = DTraceProvider.create("inert");
            Probe probe = provider.addProbe("p", "int", "char *");
            try {
                provider.addProbe("bad name");
                check(false, "definitions are still validated");
            } catch (IllegalArgumentException expected) {
                check(expected.getMessage().startsWith("Invalid probe name \"bad name\""), expected.getMessage());
            }
            provider.enable();
            check(!provider.isEnabled(), "the provider never reports enabled");
            check(!probe.isEnabled(), "the probe is never enabled");
            check(provider.objectPaths().isEmpty(), "no objects");
            probe.fire(() -> {
                throw new AssertionError("supplier ran");
            });
            provider.fire("p", () -> {
                throw new AssertionError("supplier ran");
            });
            provider.addProbe("late");
            provider.disable();
            provider.close();
            DTraceProvider.create("inert").close();
            System.out.println("inert");
        }

        private static void check(boolean condition, String what) {
            if (!condition) {
                System.out.println("failed: " + what);
                System.exit(1);
            }
        }
    }
}
