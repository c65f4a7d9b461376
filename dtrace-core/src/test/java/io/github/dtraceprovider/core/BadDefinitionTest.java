package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile definitions: each is one {@link IllegalArgumentException} whose message is a single line that says what
 * was wrong and what is allowed; nothing is half-created (no probe, no object file, no name taken) and the provider
 * keeps working, traced by bpftrace, after all of them.
 */
class BadDefinitionTest {

    /** Characters that would break a message across lines or disguise it in a log: controls, separators, bidi. */
    private static final String UNPRINTABLE = "[\\p{Cc}\\p{Zl}\\p{Zp}\\p{Cf}]";

    static Stream<String> badNames() {
        return Stream.of("", " ", "a b", " a", "a:b", "a*", "*", "a?", "a/b", "../x", "a.b", "a;b", "1abc", "-a",
                "a\tb", "a\nb", "a\rb", "a\0b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u2028b", "a\u2029b",
                "a\u202eb", "a\u200bb", "ünïcödé", "名前", "a\uD800", "\uDC00", "😀", "x".repeat(65),
                "x".repeat(1_000_000));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badProviderAndModuleNamesAreRefusedOnOneLine(String name) {
        assertOneLine(() -> DTraceProvider.create(name), "Invalid provider name ",
                ": a provider name must match [A-Za-z_][A-Za-z0-9_]* and be 1 to 64 characters");
        String valid = uniqueName("module");
        assertOneLine(() -> DTraceProvider.create(valid, name), "Invalid module name ",
                " for provider \"" + valid + "\": a module name must match [A-Za-z_][A-Za-z0-9_]* and be 1 to 64"
                        + " characters");
        // the refused build did not take the name
        DTraceProvider.create(valid).close();
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badProbeNamesAreRefusedOnOneLineAndLeaveNothing(String name) {
        try (DTraceProvider provider = DTraceProvider.create(uniqueName("badprobe"))) {
            provider.enable();
            assertOneLine(() -> provider.addProbe(name, "int"), "Invalid probe name ", " in provider \""
                    + provider.name() + "\": a probe name must match [A-Za-z_][A-Za-z0-9_-]* and be 1 to 64"
                    + " characters once each '-' is written '__' in its SDT note");
            assertThat(provider.probes()).isEmpty();
            assertThat(provider.objectPaths()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badArgumentNamesAndTypesAreRefusedOnOneLine(String text) {
        try (DTraceProvider provider = DTraceProvider.create(uniqueName("badargs"))) {
            // a text that is a valid name once the declaration is trimmed is no bad argument name
            if (!text.strip().matches("[A-Za-z_][A-Za-z0-9_]{0,63}") && !text.isBlank()) {
                assertOneLine(() -> provider.addProbe("p", "int " + text), "Invalid argument name ",
                        " for argument 1 of probe \"p\": an argument name must match [A-Za-z_][A-Za-z0-9_]* and be 1"
                                + " to 64 characters");
            }
            assertOneLine(() -> provider.addProbe("p", "int", text + "x y"), "Unknown argument type ",
                    " for argument 2 of probe \"p\": allowed types are int, long, char *, string, json");
            assertThat(provider.probes()).isEmpty();
        }
    }

    @Test
    void providerKeepsWorkingAfterEveryKindOfBadDefinition() {
        Bpftrace.assumeAvailable();
        String name = uniqueName("survivor");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe before = provider.addProbe("before", "int n");
            provider.enable();
            List<Path> objects = provider.objectPaths();
            List<ThrowingCallable> attempts = new ArrayList<>(List.of(
                    () -> provider.addProbe("before", "int"),
                    () -> provider.addProbe("x", Collections.nCopies(13, "int")),
                    () -> provider.addProbe("x", Collections.nCopies(1000, "json")),
                    () -> provider.addProbe("x", "float"),
                    () -> provider.addProbe("x", "int *"),
                    () -> provider.addProbe("x", "char"),
                    () -> provider.addProbe("x", "int a", "int a"),
                    () -> provider.addProbe("x", "int", null),
                    () -> provider.addProbe("x", (String[]) null),
                    () -> provider.addProbe("x", (List<String>) null),
                    () -> provider.addProbe("x", Arrays.asList("int", null)),
                    () -> provider.addProbe(null),
                    () -> provider.addProbe("x:y"),
                    () -> provider.probe("nope"),
                    () -> provider.probe(null),
                    () -> DTraceProvider.create(name),
                    () -> DTraceProvider.create(name, "othermodule"),
                    () -> DTraceProvider.builder(name).directory(null),
                    () -> DTraceProvider.builder(name).jsonEncoder(null),
                    () -> DTraceProvider.builder(name).module(null)));
            for (ThrowingCallable attempt : attempts) {
                Throwable failure = catchThrowable(attempt);
                assertThat(failure).isInstanceOf(IllegalArgumentException.class);
                assertThat(failure.getMessage()).isNotBlank().doesNotContainPattern(UNPRINTABLE);
            }
            assertThat(provider.probes()).containsExactly(before);
            assertThat(provider.objectPaths()).isEqualTo(objects);

            Probe after = provider.addProbe("after", "int n");
            try (Bpftrace bpftrace = Bpftrace.attach(PID,
                    "usdt::" + name + ":before, usdt::" + name + ":after { printf(\"%s %ld\\n\", probe, arg0); }")) {
                awaitTraced(before, after);
                bpftrace.awaitLine("usdt:.*:before 1", TIMEOUT, () -> before.fire(() -> new Object[] {1}));
                bpftrace.awaitLine("usdt:.*:after 2", TIMEOUT, () -> after.fire(() -> new Object[] {2}));
            }
            assertThat(before.failureCount() + after.failureCount()).isZero();
        }
    }

    /** The failure is one IllegalArgumentException, a single printable line with the given start and end. */
    private static void assertOneLine(ThrowingCallable definition, String start, String end) {
        Throwable failure = catchThrowable(definition);
        assertThat(failure).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure.getMessage()).startsWith(start).endsWith(end).doesNotContainPattern(UNPRINTABLE)
                .hasSizeLessThan(400);
    }
}
