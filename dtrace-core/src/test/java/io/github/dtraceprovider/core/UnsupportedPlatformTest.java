package io.github.dtraceprovider.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.ChildJvm;
import io.github.dtraceprovider.testing.Tools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the native library cannot be loaded, providers are inert but still validate. Checked in a child JVM
 * whose classpath lacks the dtrace-native artifact.
 */
class UnsupportedPlatformTest {

    @Test
    void providersAreInertWithoutTheNativeLibrary() throws Exception {
        Tools.Result result = ChildJvm.runWithoutNativeLibrary(InertMain.class);
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
