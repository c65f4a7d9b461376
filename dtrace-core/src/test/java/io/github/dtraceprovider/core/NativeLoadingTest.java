package io.github.dtraceprovider.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.sun.jna.Platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.testing.ChildJvm;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the native library is loaded, each case in a child JVM: JNA's own native library from another JNA release
 * leaves the providers inert, with the reason, and the program runs on; a foreign {@code libdtraceprovider.so}
 * earlier on {@code jna.library.path} is not loaded in place of the one this jar carries; and a first use from a
 * thread whose context class loader sees none of the application's jars finds the library all the same.
 */
class NativeLoadingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void jnaNativeLibraryOfAnotherJnaReleaseLeavesProvidersInert() throws IOException {
        Path boot = Files.createDirectories(dir.resolve("jna-boot"));
        Path jnidispatch = extractIncompatibleJnidispatch(boot.resolve(System.mapLibraryName("jnidispatch")));
        try (ChildJvm child = ChildJvm.start(UnsupportedPlatformTest.InertMain.class,
                List.of("-Djna.boot.library.path=" + boot), Map.of())) {
            assertThat(child.awaitLine("reason: ", TIMEOUT)).matches(Pattern.quote(
                    "cannot load the native library dtraceprovider: Error: There is an incompatible JNA native library"
                            + " installed on this system: Expected: ") + "\\d+\\.\\d+\\.\\d+"
                    + Pattern.quote(", Found: 6.1.6 at " + jnidispatch));
            assertThat(child.awaitLine("inert", TIMEOUT)).isEmpty();
            assertThat(child.awaitExit()).as(child.stderr()).isZero();
        }
    }

    @Test
    void aForeignLibraryEarlierOnTheJnaLibraryPathIsNotLoaded() throws IOException {
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        // a real shared object, loadable, but not this project's library: one of JNA's own, renamed
        extractIncompatibleJnidispatch(foreign.resolve(System.mapLibraryName("dtraceprovider")));
        assertLoadsTheBundledLibrary(List.of("-Djna.library.path=" + foreign), "main", foreign);
    }

    @Test
    void aFirstUseFromAThreadWhoseContextClassLoaderSeesNothingFindsTheLibrary() {
        assertLoadsTheBundledLibrary(List.of(), "blind-thread", dir);
    }

    private static void assertLoadsTheBundledLibrary(List<String> jvmOptions, String thread, Path notFrom) {
        try (ChildJvm child = ChildJvm.start(LoadingMain.class, jvmOptions, Map.of(), thread, notFrom.toString())) {
            assertThat(child.awaitLine("supported: ", TIMEOUT)).isEqualTo("true");
            assertThat(child.awaitLine("enabled: ", TIMEOUT)).isEqualTo("true");
            assertThat(child.awaitLine("mapped from " + notFrom + ": ", TIMEOUT)).isEqualTo("nothing");
            assertThat(child.awaitExit()).as(child.stderr()).isZero();
        }
    }

    /** Copies the native library of the JNA release that the build put aside (see the pom) to {@code target}. */
    private static Path extractIncompatibleJnidispatch(Path target) throws IOException {
        String jar = System.getProperty("incompatible.jna.jar");
        assertThat(jar).as("system property incompatible.jna.jar, set by the build").isNotNull();
        try (ZipFile zip = new ZipFile(jar)) {
            String name = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch");
            ZipEntry entry = zip.getEntry(name);
            assertThat(entry).as(name + " in " + jar).isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target);
            }
        }
        return target;
    }

    /**
     * Runs in the child JVM: uses the library first from this thread ({@code main}) or from a new thread whose
     * context class loader sees nothing but the JDK ({@code blind-thread}), enables a provider, and prints whether
     * that worked and which of its mappings come from directory {@code args[1]}.
     */
    public static final class LoadingMain {

        public static void main(String[] args) throws Exception {
            Runnable firstUse = () -> System.out.println("supported: " + DTraceProvider.isSupported()
                    + DTraceProvider.unsupportedReason().map(reason -> " (" + reason + ")").orElse(""));
            if (args[0].equals("blind-thread")) {
                Thread thread = new Thread(firstUse, "pool-thread");
                thread.setContextClassLoader(new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()));
                thread.start();
                thread.join();
            } else {
                firstUse.run();
            }
            try (DTraceProvider provider = DTraceProvider.create("loading")) {
                provider.addProbe("p", "int");
                provider.enable();
                System.out.println("enabled: " + !provider.objectPaths().isEmpty());
                List<String> foreign = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .filter(line -> line.contains(args[1])).toList();
                System.out.println("mapped from " + args[1] + ": " + (foreign.isEmpty() ? "nothing" : foreign));
            }
        }
    }
}
