package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A libbpf-based tracer (the program in {@code src/test/c/libbpf}, built by the test) reads all twelve
 * arguments of a probe, strings included, and libbpf sets the probe's semaphore while attached.
 */
class LibbpfTracingTest {

    /** Strings at register (2nd, 6th) and stack (8th, 12th) positions. */
    private static final List<String> DECLARATIONS = List.of("long id", "char * text", "int negative", "long min",
            "long max", "string empty", "int thousands", "char * unicode", "long nearMin", "long nearMax",
            "int zero", "string last");

    @Test
    void libbpfReadsAllTwelveArgumentsWhileTheSemaphoreIsSet() {
        Path loader = UsdtReader.build();
        String name = Tracing.uniqueName("libbpf");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("twelve", DECLARATIONS);
            provider.enable();
            assertThat(probe.isEnabled()).as("before any tracer attached").isFalse();

            List<String> expected = new ArrayList<>();
            try (UsdtReader reader = UsdtReader.attach(loader, PID, probe)) {
                await("libbpf increments the semaphore", probe::isEnabled);
                for (long i = 1; i <= 3; i++) {
                    Object[] values = values(i);
                    probe.fire(() -> values);
                    expected.add(Stream.of(values).map(String::valueOf).collect(Collectors.joining("\t")));
                }
                reader.awaitLines(".*", expected.size(), TIMEOUT);
                assertThat(reader.stop()).containsExactlyElementsOf(expected);
                assertThat(reader.exitCode()).isZero();
            }
            assertThat(probe.fireCount()).isEqualTo(expected.size());
            await("the semaphore is back to 0 once libbpf detached", () -> !probe.isEnabled());
        }
    }

    @Test
    void aProbeThatIsNotThereIsAOneLineError() {
        Path loader = UsdtReader.build();
        String name = Tracing.uniqueName("libbpf");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("present", "int");
            provider.enable();
            String object = probe.objectPath().orElseThrow().toString();

            Tools.Result result = Tools.run(TIMEOUT, loader.toAbsolutePath().toString(), Long.toString(PID), object,
                    name, "absent", "i");
            assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
            assertThat(result.stdout()).as(result.describe()).isEmpty();
            assertThat(result.stderr().lines().toList()).as(result.describe())
                    .containsExactly("usdt_reader: no probe " + name + ":absent in " + object);
        }
    }

    /** The i-th fire's arguments, each distinct from the other fires' where the type leaves room. */
    private static Object[] values(long i) {
        return new Object[] {i, "hello world " + i, -i, Long.MIN_VALUE, Long.MAX_VALUE, "", -1000 * i,
            "grüße, 世界 🌍 " + i, Long.MIN_VALUE + i, Long.MAX_VALUE - i, 0, "last " + i};
    }
}
