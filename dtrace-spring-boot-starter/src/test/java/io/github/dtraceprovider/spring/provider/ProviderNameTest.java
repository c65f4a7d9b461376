package io.github.dtraceprovider.spring.provider;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The naming rule for application names that are not valid provider names as they are. */
class ProviderNameTest {

    @Test
    void applicationNameStartingWithADigitGetsAnUnderscore() {
        assertThat(ProviderName.resolve(null, "3d-printer")).isEqualTo("_3d_printer");
    }

    @Test
    void longApplicationNameIsCutTo64Characters() {
        assertThat(ProviderName.resolve("", "x".repeat(100))).isEqualTo("x".repeat(64));
    }

    @Test
    void blankNamesFallBackToJava() {
        assertThat(ProviderName.resolve(" ", " ")).isEqualTo("java");
    }
}
