package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefinitionTest {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<DTraceProvider> created = new ArrayList<>();

    @AfterEach
    void closeProviders() {
        created.forEach(DTraceProvider::close);
    }

    private DTraceProvider provider() {
        DTraceProvider provider = DTraceProvider.create("deftest" + COUNTER.incrementAndGet());
        created.add(provider);
        return provider;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "1abc", "with-hyphen", "dotted.name", "ünïcode",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
    void rejectsInvalidProviderNames(String name) {
        assertThatThrownBy(() -> DTraceProvider.create(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid provider name \"" + name + "\": a provider name must match "
                        + "[A-Za-z_][A-Za-z0-9_]* and be 1 to 64 characters");
    }

    @Test
    void acceptsSixtyFourCharacterNames() {
        String name = "p" + "0123456789".repeat(6) + "abc";
        assertThat(name).hasSize(64);
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            String probe = "q" + "0123456789".repeat(6) + "abc";
            assertThat(provider.addProbe(probe).name()).isEqualTo(probe);
            // a hyphen takes two characters of the note name
            String hyphenated = "q-" + "0123456789".repeat(6) + "a";
            assertThat(provider.addProbe(hyphenated).noteName()).hasSize(64);
        }
    }

    @Test
    void rejectsInvalidModuleNames() {
        assertThatThrownBy(() -> DTraceProvider.create("orders", "my-module"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid module name \"my-module\" for provider \"orders\": a module name must match "
                        + "[A-Za-z_][A-Za-z0-9_]* and be 1 to 64 characters");
    }

    @Test
    void controlCharactersInNamesAreEscapedToKeepMessagesOnOneLine() {
        assertThatThrownBy(() -> DTraceProvider.create("a\nb"))
                .hasMessageStartingWith("Invalid provider name \"a\\u000ab\":")
                .message().doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "1abc", "-start", "dotted.name", "a:b",
            "a2345678901234567890123456789012345678901234567890123456789012345",
            "a-34567890123456789012345678901234567890123456789012345678901234"})
    void rejectsInvalidProbeNames(String name) {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> provider.addProbe(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid probe name \"" + name + "\" in provider \"" + provider.name()
                        + "\": a probe name must match [A-Za-z_][A-Za-z0-9_-]* and be 1 to 64 characters once each"
                        + " '-' is written '__' in its SDT note");
        assertThat(provider.probes()).isEmpty();
    }

    @Test
    void aHyphenIsADoubleUnderscoreInTheNoteName() {
        DTraceProvider provider = provider();
        Probe probe = provider.addProbe("http-request-done", "int");
        assertThat(probe.name()).isEqualTo("http-request-done");
        assertThat(probe.noteName()).isEqualTo("http__request__done");
        assertThat(provider.addProbe("plain_name").noteName()).isEqualTo("plain_name");
        assertThat(Probe.noteNameOf("a-b--c_")).isEqualTo("a__b____c_");
    }

    @Test
    void eitherSpellingFindsAProbe() {
        DTraceProvider provider = provider();
        Probe declaredWithHyphens = provider.addProbe("order-placed", "int");
        Probe declaredAsNoteName = provider.addProbe("payment__authorized", "int");
        assertThat(provider.probe("order-placed")).isSameAs(declaredWithHyphens);
        assertThat(provider.probe("order__placed")).isSameAs(declaredWithHyphens);
        assertThat(provider.findProbe("order__placed")).containsSame(declaredWithHyphens);
        assertThat(provider.probe("payment-authorized")).isSameAs(declaredAsNoteName);
        assertThat(provider.findProbe("payment-authorized")).containsSame(declaredAsNoteName);
        assertThat(provider.findProbe("order_placed")).isEmpty();
        assertThatThrownBy(() -> provider.probe("order_placed"))
                .hasMessage("No probe \"order_placed\" in provider \"" + provider.name()
                        + "\"; known probes: order-placed, payment__authorized");
    }

    @Test
    void twoSpellingsOfOneNoteNameAreDuplicates() {
        DTraceProvider provider = provider();
        provider.addProbe("order-placed", "int");
        assertThatThrownBy(() -> provider.addProbe("order__placed", "int"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Probe \"order__placed\" and probe \"order-placed\" of provider \"" + provider.name()
                        + "\" have the same SDT note name \"order__placed\" (each '-' is written '__'); rename one of"
                        + " them");
        assertThatThrownBy(() -> provider.addProbe("order-placed", "int"))
                .hasMessage("Probe \"order-placed\" already exists in provider \"" + provider.name() + "\"");
        assertThat(provider.probes()).extracting(Probe::name).containsExactly("order-placed");
    }

    @Test
    void rejectsUnknownArgumentTypes() {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> provider.addProbe("x", "int", "float"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown argument type \"float\" for argument 2 of probe \"x\": "
                        + "allowed types are int, long, char *, string, json");
        assertThatThrownBy(() -> provider.addProbe("x", "char"))
                .hasMessage("Unknown argument type \"char\" for argument 1 of probe \"x\": "
                        + "allowed types are int, long, char *, string, json");
        assertThatThrownBy(() -> provider.addProbe("x", "INT"))
                .hasMessageStartingWith("Unknown argument type \"INT\" for argument 1 of probe \"x\"");
        assertThatThrownBy(() -> provider.addProbe("x", ""))
                .hasMessageStartingWith("Unknown argument type \"\" for argument 1 of probe \"x\"");
        assertThat(provider.probes()).isEmpty();
    }

    @Test
    void rejectsInvalidArgumentNames() {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> provider.addProbe("x", "int 1st"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid argument name \"1st\" for argument 1 of probe \"x\": an argument name must "
                        + "match [A-Za-z_][A-Za-z0-9_]* and be 1 to 64 characters");
        assertThatThrownBy(() -> provider.addProbe("x", "int a", "char * two words"))
                .hasMessageStartingWith("Invalid argument name \"two words\" for argument 2 of probe \"x\"");
        assertThatThrownBy(() -> provider.addProbe("x", "json a-b"))
                .hasMessageStartingWith("Invalid argument name \"a-b\" for argument 1 of probe \"x\"");
    }

    @Test
    void rejectsDuplicateArgumentNames() {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> provider.addProbe("x", "int id", "string id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Duplicate argument name \"id\" in probe \"x\": argument names must be unique");
    }

    @Test
    void rejectsMoreThanTwelveArguments() {
        DTraceProvider provider = provider();
        assertThat(provider.addProbe("twelve", Collections.nCopies(12, "int")).argTypes()).hasSize(12);
        assertThatThrownBy(() -> provider.addProbe("x", Collections.nCopies(13, "int")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Probe \"x\" has 13 arguments; at most 12 are allowed");
        assertThat(provider.findProbe("x")).isEmpty();
    }

    @Test
    void rejectsDuplicateProbes() {
        DTraceProvider provider = provider();
        Probe first = provider.addProbe("x", "int");
        assertThatThrownBy(() -> provider.addProbe("x", "char *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Probe \"x\" already exists in provider \"" + provider.name() + "\"");
        assertThat(provider.probes()).containsExactly(first);
    }

    @Test
    void rejectsDuplicateProviderNamesUntilClosed() {
        DTraceProvider provider = DTraceProvider.create("deftestdup");
        try {
            assertThatThrownBy(() -> DTraceProvider.create("deftestdup", "othermodule"))
                    .isInstanceOf(ProviderNameInUseException.class)
                    .hasMessage("A DTrace provider named \"deftestdup\" already exists in this process (in this or"
                            + " another copy of dtrace-core); close() it before creating another");
        } finally {
            provider.close();
        }
        provider.close(); // idempotent
        DTraceProvider again = DTraceProvider.create("deftestdup");
        again.close();
    }

    @Test
    void rejectsNullsNamingTheParameter() {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> DTraceProvider.create(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Provider name must not be null");
        assertThatThrownBy(() -> DTraceProvider.create("x", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Module name must not be null");
        assertThatThrownBy(() -> DTraceProvider.builder(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Provider name must not be null");
        assertThatThrownBy(() -> DTraceProvider.builder("x").directory(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Directory must not be null");
        assertThatThrownBy(() -> DTraceProvider.builder("x").jsonEncoder(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("JSON encoder must not be null");
        assertThatThrownBy(() -> provider.addProbe(null, "int"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Probe name must not be null");
        assertThatThrownBy(() -> provider.addProbe("x", (String[]) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Argument declarations of probe \"x\" must not be null");
        assertThatThrownBy(() -> provider.addProbe("x", (List<String>) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Argument declarations of probe \"x\" must not be null");
        assertThatThrownBy(() -> provider.addProbe("x", "int", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Declaration of argument 2 of probe \"x\" must not be null");
        assertThatThrownBy(() -> provider.probe(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Probe name must not be null");
        assertThatThrownBy(() -> provider.findProbe(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Probe name must not be null");
        assertThat(provider.probes()).isEmpty();
    }

    @Test
    void parsesDeclarations() {
        DTraceProvider provider = provider();
        Probe probe = provider.addProbe("all", "int", "int requestId", "char *", "char * path", "char *file",
                "char*raw", "string name", "long count", "json order", "  json   spaced  ", "string");
        assertThat(probe.argTypes()).containsExactly(ArgType.INT, ArgType.INT, ArgType.STRING, ArgType.STRING,
                ArgType.STRING, ArgType.STRING, ArgType.STRING, ArgType.INT, ArgType.JSON, ArgType.JSON,
                ArgType.STRING);
        assertThat(probe.argNames()).containsExactly("arg0", "requestId", "arg2", "path", "file", "raw", "name",
                "count", "order", "spaced", "arg10");
        assertThat(probe.toString()).isEqualTo("Probe " + provider.name() + ":all(int arg0, int requestId, "
                + "char * arg2, char * path, char * file, char * raw, char * name, int count, json order, "
                + "json spaced, char * arg10)");
        assertThat(ArgType.STRING.declaration()).isEqualTo("char *");
        assertThat(ArgType.INT.declaration()).isEqualTo("int");
        assertThat(ArgType.JSON.declaration()).isEqualTo("json");
    }

    @Test
    void looksUpProbes() {
        DTraceProvider provider = provider();
        assertThatThrownBy(() -> provider.probe("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No probe \"nope\" in provider \"" + provider.name() + "\"; it has no probes");
        Probe a = provider.addProbe("a");
        Probe b = provider.addProbe("b", List.of("int"));
        assertThat(provider.probe("a")).isSameAs(a);
        assertThat(provider.findProbe("b")).containsSame(b);
        assertThat(provider.findProbe("c")).isEmpty();
        assertThat(provider.probes()).containsExactly(a, b);
        assertThat(a.provider()).isSameAs(provider);
        assertThatThrownBy(() -> provider.probe("c"))
                .hasMessage("No probe \"c\" in provider \"" + provider.name() + "\"; known probes: a, b");
    }

    @Test
    void probesListIsASnapshot() {
        DTraceProvider provider = provider();
        List<Probe> before = provider.probes();
        provider.addProbe("later");
        assertThat(before).isEmpty();
        assertThatThrownBy(() -> before.add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void moduleDefaultsToTheName() {
        DTraceProvider provider = provider();
        assertThat(provider.module()).isEqualTo(provider.name());
        try (DTraceProvider withModule = DTraceProvider.builder("deftestmodule").module("mymodule")
                .directory(Path.of("/tmp")).jsonEncoder(String::valueOf).build()) {
            assertThat(withModule.name()).isEqualTo("deftestmodule");
            assertThat(withModule.module()).isEqualTo("mymodule");
        }
    }

    @Test
    void closedProviderRefusesDefinitionsAndEnable() {
        DTraceProvider provider = provider();
        provider.close();
        assertThatThrownBy(() -> provider.addProbe("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DTrace provider \"" + provider.name() + "\" is closed");
        assertThatThrownBy(provider::enable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DTrace provider \"" + provider.name() + "\" is closed");
        provider.disable(); // harmless
        assertThat(provider.isEnabled()).isFalse();
    }

    @Test
    void unknownProbeNamesAreIgnored() {
        DTraceProvider provider = provider();
        provider.addProbe("known");
        provider.fire("unknown", () -> {
            throw new AssertionError("must not run");
        });
        provider.fire(null, null);
        assertThat(provider.probe("known").fireCount()).isZero();
        assertThat(provider.probe("known").failureCount()).isZero();
    }

    @Test
    void supportIsReportedConsistently() {
        if (DTraceProvider.isSupported()) {
            assertThat(DTraceProvider.unsupportedReason()).isEmpty();
        } else {
            assertThat(DTraceProvider.unsupportedReason()).hasValueSatisfying(
                    reason -> assertThat(reason).isNotBlank().doesNotContain("\n"));
        }
    }
}
