package io.github.dtraceprovider.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.dtraceprovider.testing.TracerProcess;
import io.github.dtraceprovider.testing.Tools;

/**
 * The libbpf-based USDT consumer of {@code src/test/c/libbpf}, built from source by the test that uses it
 * (by its {@code build.sh}: clang for the BPF program, gcc and libbpf for the loader) and attached to a process.
 * Each fire is one line: the arguments separated by tabs, integers in decimal, strings as text.
 */
final class UsdtReader extends TracerProcess {

    /** Relative to the module: Maven runs tests there. */
    private static final Path SOURCES = Path.of("src/test/c/libbpf");
    private static final Path BUILD = Path.of("target/libbpf");
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern ATTACHED = Pattern.compile("ATTACHED");

    private UsdtReader(List<String> command) {
        super("usdt_reader", command, ATTACHED, ATTACHED);
    }

    /**
     * Builds the BPF program and its loader into {@code target/libbpf} with {@code build.sh} and returns the loader.
     * Skips the test (fails it when env CI=true) unless clang, gcc and libbpf's headers and library are installed and
     * we are root.
     */
    static Path build() {
        Tools.assumeCommand("clang");
        Tools.assumeCommand("gcc");
        Tools.assumeCondition(Files.exists(Path.of("/usr/include/bpf/usdt.bpf.h")),
                "libbpf-dev is not installed (no /usr/include/bpf/usdt.bpf.h)");
        // gcc prints the bare name back when the library is not on its search path
        String library = Tools.runOk(COMPILE_TIMEOUT, "gcc", "-print-file-name=libbpf.so").stdout().strip();
        Tools.assumeCondition(Path.of(library).isAbsolute(), "libbpf-dev is not installed (gcc finds no libbpf.so)");

        // The script holds the compiler flags, for the documented build (docs/tracers.md) and this one alike.
        Tools.runOk(COMPILE_TIMEOUT, "sh", SOURCES.resolve("build.sh").toString(), BUILD.toString());
        return BUILD.resolve("usdt_reader");
    }

    /**
     * Runs {@code loader PID OBJECT PROVIDER PROBE TYPES} for this enabled probe and waits until it has attached.
     * TYPES tells the loader which arguments are strings, which the SDT note does not say.
     */
    static UsdtReader attach(Path loader, long pid, Probe probe) {
        String types = probe.argTypes().stream().map(type -> type == ArgType.INT ? "i" : "s")
                .collect(Collectors.joining());
        return new UsdtReader(List.of(loader.toAbsolutePath().toString(), Long.toString(pid),
                probe.objectPath().orElseThrow().toString(), probe.provider().name(), probe.name(), types));
    }
}
