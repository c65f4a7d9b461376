package io.github.dtraceprovider.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Tools;
import io.github.dtraceprovider.testing.TracerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SystemTap, the tool the SDT notes are named after, reads a provider's integer and string arguments, in an object
 * loaded at enable() and in one loaded by a probe added after it. It needs the running kernel's headers, which only a
 * guest on Debian's own kernel can have, so this test runs in the guest suite only.
 */
class SystemtapTracingTest {

    private static final long PID = ProcessHandle.current().pid();
    /** stap translates the script to C and builds a kernel module: slow under emulation. */
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void stapReadsIntegersAndStringsOfAProbeAndOfALateProbe() throws Exception {
        Tools.assumeCommand("stap");
        String name = "stap" + PID;
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe placed = provider.addProbe("order-placed", "long id", "char * customer");
            provider.enable();
            Probe late = provider.addProbe("late", "long n", "char * text");
            Path module = compile("""
                    probe begin { printf("READY\\n") }
                    probe process("%s").mark("order__placed") { printf("placed %%d %%s\\n", $arg1, user_string($arg2)) }
                    probe process("%s").mark("late") { printf("late %%d %%s\\n", $arg1, user_string($arg2)) }
                    """.formatted(placed.objectPath().orElseThrow(), late.objectPath().orElseThrow()));
            try (Staprun stap = new Staprun(module)) {
                stap.awaitLine("placed -42 alice", TIMEOUT,
                        () -> placed.fire(() -> new Object[] {-42, "alice"}));
                stap.awaitLine("late 9223372036854775807 thrée ✓", TIMEOUT,
                        () -> late.fire(() -> new Object[] {Long.MAX_VALUE, "thrée ✓"}));
                assertThat(placed.isEnabled()).as("SystemTap sets the semaphore").isTrue();
            }
            assertThat(placed.failureCount() + late.failureCount()).isZero();
        }
    }

    /** Builds the script into a kernel module (stap -p4) in the test's directory and returns it. */
    private Path compile(String script) throws IOException, InterruptedException {
        Path log = dir.resolve("stap.log");
        Process stap = new ProcessBuilder("stap", "-p4", "-m", "dtp_stap", "-e", script).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = stap.waitFor(COMPILE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            stap.destroyForcibly();
        }
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished && stap.exitValue() == 0).as("stap -p4 (within %s) printed:%n%s", COMPILE_TIMEOUT,
                printed).isTrue();
        return dir.resolve("dtp_stap.ko");
    }

    /** The module, run against this JVM by staprun; its begin probe prints READY once it is loaded. */
    private static final class Staprun extends TracerProcess {

        private static final Pattern READY = Pattern.compile("READY");

        Staprun(Path module) {
            super("staprun", List.of("staprun", "-x", Long.toString(PID), module.toString()), READY, READY);
        }
    }
}
