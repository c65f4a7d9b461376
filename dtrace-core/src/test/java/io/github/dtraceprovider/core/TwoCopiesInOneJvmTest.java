package io.github.dtraceprovider.core;

import org.junit.jupiter.api.Test;

import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two copies of dtrace-core in one JVM, each with its own JNA, as two web applications that bundle both in one servlet
 * container: a provider name is unique across them, as within one copy, so a tracer naming the provider sees one
 * provider's fires, not one of two at random.
 */
class TwoCopiesInOneJvmTest {

    @Test
    void a_name_another_copy_holds_is_refused_until_that_copy_closes_its_provider() {
        assumeTrue(DTraceProvider.isSupported(), "the native library does not load here");
        String name = uniqueName("twocopies");
        // the key docs/hardening.md names, for jcmd PID VM.system_properties
        String claim = "io.github.dtraceprovider.provider." + name;
        try (IsolatedCopy first = IsolatedCopy.withOwnJna(); IsolatedCopy second = IsolatedCopy.withOwnJna()) {
            Object provider = first.create(name);

            // each copy has its own exception class: compare names
            assertThatThrownBy(() -> second.create(name))
                    .satisfies(e -> assertThat(e.getClass().getName())
                            .isEqualTo(ProviderNameInUseException.class.getName()))
                    .hasMessage("A DTrace provider named \"" + name + "\" already exists in this process (in this or"
                            + " another copy of dtrace-core); close() it before creating another");
            assertThatThrownBy(() -> DTraceProvider.create(name)).isInstanceOf(ProviderNameInUseException.class);
            assertThat(System.getProperty(claim)).as("the claim of the first copy").isNotNull();

            first.close(provider);
            assertThat(System.getProperty(claim)).as("the claim after close()").isNull();
            Object again = second.create(name);
            second.close(again);
        }
    }
}
