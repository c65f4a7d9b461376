package io.github.dtraceprovider.core.internal.nativecore;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.internal.definition.Names;
import io.github.dtraceprovider.core.internal.definition.NativeLimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Java rules check definitions before any native call, against NativeCore's copies of the header's limits: the
 * library must draw the same lines, or a definition Java accepts would fail later with the native core's message.
 */
class NativeLimitsTest {

    @BeforeEach
    void needsTheLibrary() {
        assumeTrue(NativeCore.isLoaded(), () -> "native core not loadable: " + NativeCore.unsupportedReason());
    }

    @Test
    void theLibraryTakesAsManyArgumentsAsJavaAllowsAndNoMore() {
        long provider = NativeCore.dtp_provider_create("limits_args", null);
        assertThat(provider).isNotZero();
        try {
            int[] types = new int[NativeLimits.DTP_MAX_ARGS + 1];
            Arrays.fill(types, NativeLimits.DTP_ARG_INT64);
            assertThat(NativeCore.dtp_probe_add(provider, "most", NativeLimits.DTP_MAX_ARGS, types)).isNotZero();
            assertThat(NativeCore.dtp_probe_add(provider, "too_many", NativeLimits.DTP_MAX_ARGS + 1, types)).isZero();
            assertThat(NativeCore.dtp_last_error()).contains("0 to " + NativeLimits.DTP_MAX_ARGS + " are allowed");
        } finally {
            NativeCore.dtp_provider_destroy(provider);
        }
    }

    @Test
    void theLibraryTakesExactlyTheNamesJavaAccepts() {
        String longest = "n".repeat(NativeLimits.DTP_MAX_NAME);
        List<String> names = List.of("a", "_", "A9_z", longest, longest + "n", "", "9a", "a-b", "a b", "a.b", "\u00e9");
        long provider = NativeCore.dtp_provider_create("limits_names", null);
        assertThat(provider).isNotZero();
        try {
            for (String name : names) {
                long created = NativeCore.dtp_provider_create(name, null);
                NativeCore.dtp_provider_destroy(created);
                assertThat(created != 0).as("provider name \"%s\"", name).isEqualTo(Names.isIdentifier(name));
                long probe = NativeCore.dtp_probe_add(provider, name, 0, new int[0]);
                assertThat(probe != 0).as("probe note name \"%s\"", name).isEqualTo(Names.isIdentifier(name));
            }
        } finally {
            NativeCore.dtp_provider_destroy(provider);
        }
    }
}
