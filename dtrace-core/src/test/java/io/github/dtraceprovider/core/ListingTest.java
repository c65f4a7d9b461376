package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Tools;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.X86_64;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/** bcc's tplist and binutils' readelf see every probe the way a tracer will. */
class ListingTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private static DTraceProvider providerWithThreeProbes(String name) {
        DTraceProvider provider = DTraceProvider.create(name);
        provider.addProbe("alpha", "int id", "char * path");
        provider.addProbe("beta-gamma");
        provider.addProbe("twelve", Collections.nCopies(12, "long"));
        provider.enable();
        return provider;
    }

    @Test
    void tplistListsEveryProbe() {
        Tools.assumeCommand("tplist-bpfcc");
        String name = uniqueName("tplist");
        try (DTraceProvider provider = providerWithThreeProbes(name)) {
            Path object = provider.objectPaths().get(0);
            Tools.Result result = Tools.runOk(TOOL_TIMEOUT, "tplist-bpfcc", "-p", Long.toString(PID));
            // tplist opens the object through the process's root, as it would inside a container
            String prefix = "/proc/" + PID + "/root" + object + " " + name + ":";
            assertThat(result.stdoutLines().stream().filter(line -> line.contains(" " + name + ":")))
                    .as(result.describe())
                    .containsExactlyInAnyOrder(prefix + "alpha", prefix + "beta__gamma", prefix + "twelve");
        }
    }

    @Test
    void readelfShowsEachNoteWithItsSemaphoreAndArguments() {
        Tools.assumeCommand("readelf");
        String name = uniqueName("readelf");
        try (DTraceProvider provider = providerWithThreeProbes(name)) {
            Path object = provider.objectPaths().get(0);
            Tools.Result result = Tools.runOk(TOOL_TIMEOUT, "readelf", "-n", object.toString());
            Pattern note = Pattern.compile("""
                    \\s*stapsdt\\s+0x\\p{XDigit}+\\s+NT_STAPSDT \\(SystemTap probe descriptors\\)
                    \\s*Provider: (\\S+)
                    \\s*Name: (\\S+)
                    \\s*Location: 0x(\\p{XDigit}+), Base: 0x(\\p{XDigit}+), Semaphore: 0x(\\p{XDigit}+)
                    \\s*Arguments: ?(.*)""");
            Matcher matcher = note.matcher(result.stdout());
            List<String> notes = new ArrayList<>();
            List<Long> semaphores = new ArrayList<>();
            while (matcher.find()) {
                notes.add(matcher.group(1) + ":" + matcher.group(2) + " " + matcher.group(6).strip());
                semaphores.add(Long.parseLong(matcher.group(5), 16));
            }
            List<String> twelve = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                twelve.add("-8@" + (X86_64
                        ? (i < 6 ? List.of("%rdi", "%rsi", "%rdx", "%rcx", "%r8", "%r9").get(i) : 8 * (i - 5) + "(%rsp)")
                        : (i < 8 ? "x" + i : "[sp, " + 8 * (i - 8) + "]")));
            }
            String alpha = X86_64 ? "-8@%rdi 8@%rsi" : "-8@x0 8@x1";
            assertThat(notes).as(result.stdout()).containsExactly(
                    name + ":alpha " + alpha,
                    name + ":beta__gamma ",
                    name + ":twelve " + String.join(" ", twelve));
            assertThat(semaphores).as("a distinct semaphore per probe").doesNotContain(0L).doesNotHaveDuplicates();
            assertThat(provider.probe("twelve").argLocations()).as("argLocations() says what the note says")
                    .containsExactlyElementsOf(twelve.stream().map(spec -> spec.substring("-8@".length())).toList());
        }
    }
}
