package io.github.dtraceprovider.spring.provider;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint.ProviderDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Where USDT probes cannot work the application starts and runs normally, and says why once. Runs in a JVM of its
 * own that claims to be riscv64 (see the unsupported-platform execution in the pom).
 */
@Tag("unsupported-platform")
@ExtendWith(OutputCaptureExtension.class)
class UnsupportedPlatformTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL)
            .withPropertyValues("management.endpoints.web.exposure.include=dtrace", "dtrace.probes.order-placed=int")
            .withBean(TracedBean.class);

    @BeforeAll
    static void onlyWhereUnsupported() {
        assumeFalse(DTraceProvider.isSupported(), "run by the unsupported-platform execution, with os.arch=riscv64");
    }

    @Test
    void applicationStartsAndRunsWithOneWarning(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            assertThat(provider.isEnabled()).isFalse();
            provider.probe("order-placed").fire(() -> new Object[] {1});
            assertThat(AopUtils.isAopProxy(context.getBean(TracedBean.class))).isTrue();
            assertThat(context.getBean(TracedBean.class).answer()).isEqualTo(42);
            assertThat(output).containsOnlyOnce("DTrace probes are off: ")
                    .contains("DTrace probes are off: the native library is built for x86-64 and aarch64 only; "
                            + "this is riscv64; the application runs without them");
        });
    }

    @Test
    void endpointSaysWhyProbesAreUnsupported() {
        runner.run(context -> {
            ProviderDescriptor descriptor = context.getBean(DTraceEndpoint.class).provider();
            assertThat(descriptor.supported()).isFalse();
            assertThat(descriptor.unsupportedReason()).contains("riscv64");
            assertThat(descriptor.enabled()).isFalse();
            assertThat(descriptor.objectPaths()).isEmpty();
            assertThat(descriptor.probes()).isNotEmpty().noneMatch(probe -> probe.traced());
        });
    }

    @Traced
    static class TracedBean {

        public int answer() {
            return 42;
        }
    }
}
