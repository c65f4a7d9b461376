package io.github.dtraceprovider.spring.provider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.sun.jna.Platform;
import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.e2e.GreetingApplication;
import io.github.dtraceprovider.spring.e2e.GreetingService;
import io.github.dtraceprovider.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot application whose JNA finds JNA's own native library of another JNA release first (here through
 * {@code jna.boot.library.path}; a system package can do the same) starts, runs its {@code @Traced} beans and says
 * why the probes are off. Runs in a child JVM.
 */
class IncompatibleJnaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void theApplicationStartsWithInertProbesAndSaysWhy() throws IOException {
        String jar = System.getProperty("incompatible.jna.jar");
        assertThat(jar).as("system property incompatible.jna.jar, set by the build").isNotNull();
        Path jnidispatch = dir.resolve(System.mapLibraryName("jnidispatch"));
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry entry = zip.getEntry("com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + jnidispatch.getFileName());
            assertThat(entry).as("JNA's native library in " + jar).isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, jnidispatch);
            }
        }
        try (ChildJvm child = ChildJvm.start(Application.class, List.of("-Djna.boot.library.path=" + dir),
                Map.of())) {
            assertThat(child.awaitLine("reason: ", TIMEOUT)).startsWith("cannot load the native library"
                    + " dtraceprovider: Error: There is an incompatible JNA native library installed on this system: ")
                    .endsWith("Found: 6.1.6 at " + jnidispatch);
            assertThat(child.awaitLine("greeting: ", TIMEOUT)).isEqualTo("hello ada");
            assertThat(child.awaitExit()).as(child.stderr()).isZero();
        }
    }

    /** Runs in the child JVM: starts the test application, calls a {@code @Traced} bean and stops. */
    public static final class Application {

        public static void main(String[] args) {
            try (ConfigurableApplicationContext context = SpringApplication.run(GreetingApplication.class,
                    "--spring.main.web-application-type=none", "--dtrace.provider=incompatible_jna")) {
                System.out.println("reason: " + DTraceProvider.unsupportedReason().orElse("none"));
                System.out.println("greeting: " + context.getBean(GreetingService.class).greet("ada"));
            }
        }
    }
}
