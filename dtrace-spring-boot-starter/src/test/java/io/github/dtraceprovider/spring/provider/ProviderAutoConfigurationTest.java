package io.github.dtraceprovider.spring.provider;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry;
import io.github.dtraceprovider.spring.traced.MethodProbes;
import io.github.dtraceprovider.spring.traced.TracedAdvisor;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider bean: its name, its application probes, when it is enabled and closed, and what it does on failure. */
@ExtendWith(OutputCaptureExtension.class)
class ProviderAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    @Test
    void providerIsNamedAfterTheApplicationWithInvalidCharactersReplaced() {
        runner.withPropertyValues("spring.application.name=order-service.v2").run(context ->
                assertThat(context.getBean(DTraceProvider.class).name()).isEqualTo("order_service_v2"));
    }

    @Test
    void dtraceProviderPropertyWinsOverTheApplicationName() {
        runner.withPropertyValues("spring.application.name=order-service", "dtrace.provider=orders").run(context ->
                assertThat(context.getBean(DTraceProvider.class).name()).isEqualTo("orders"));
    }

    @Test
    void providerWithoutAnyNameIsCalledJava() {
        runner.run(context -> assertThat(context.getBean(DTraceProvider.class).name()).isEqualTo("java"));
    }

    @Test
    void invalidProviderNameFailsStartupNamingTheProperty() {
        runner.withPropertyValues("dtrace.provider=order service").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.provider")
                        .hasMessageContaining("order service"));
    }

    @Test
    void yamlProbesAreDeclaredWithTheirArguments() {
        runner.withPropertyValues("dtrace.probes.order-placed=int orderId,char * customer,json order",
                "dtrace.probes.heartbeat=").run(context -> {
                    DTraceProvider provider = context.getBean(DTraceProvider.class);
                    Probe orderPlaced = provider.probe("order-placed");
                    assertThat(orderPlaced.argNames()).containsExactly("orderId", "customer", "order");
                    assertThat(orderPlaced.argTypes()).extracting(type -> type.declaration())
                            .containsExactly("int", "char *", "json");
                    assertThat(provider.probe("heartbeat").argTypes()).isEmpty();
                    assertThat(provider.probe("order__placed")).as("the note name finds it too").isSameAs(orderPlaced);
                });
    }

    @Test
    void starterProbeNamesAreTakenEvenWhereTheirFeatureIsOff() {
        runner.withPropertyValues("dtrace.traced.enabled=false", "dtrace.probes.method-return=int").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.probes.method-return")
                        .hasMessageContaining("the starter defines a probe named \"method-return\" itself"));
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("dtrace.probes.meter-gauge=int").run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.probes.meter-gauge"));
    }

    @Test
    void twoSpellingsOfOneProbeFailStartupNamingTheProperty() {
        runner.withPropertyValues("dtrace.probes.order-placed=int", "dtrace.probes[order__placed]=int").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.probes[order__placed]")
                        .hasMessageContaining("have the same SDT note name \"order__placed\""));
    }

    @Test
    void badYamlProbeFailsStartupNamingTheProperty() {
        runner.withPropertyValues("dtrace.probes.order-placed=int,float").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.probes.order-placed")
                        .hasMessageContaining("float"));
    }

    @Test
    void providerIsEnabledOnceTheContextIsRefreshedAndClosedWithIt() {
        DTraceProvider[] provider = new DTraceProvider[1];
        runner.withPropertyValues("dtrace.provider=lifecycle").run(context -> {
            provider[0] = context.getBean(DTraceProvider.class);
            assertThat(provider[0].isEnabled()).isTrue();
            assertThat(provider[0].objectPaths()).hasSize(1).allMatch(Files::exists);
        });
        assertThat(provider[0].isEnabled()).isFalse();
        try (DTraceProvider again = DTraceProvider.create("lifecycle")) {
            assertThat(again.name()).as("the name is free again").isEqualTo("lifecycle");
        }
    }

    @Test
    void startupLogSaysNameProbeCountObjectAndABpftraceCommand(CapturedOutput output) {
        runner.withPropertyValues("dtrace.provider=logged", "dtrace.probes.one=int").run(context -> {
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            assertThat(output).contains("DTrace provider 'logged' is live with " + provider.probes().size()
                    + " probes in " + provider.objectPaths().get(0) + "; try: bpftrace -p "
                    + ProcessHandle.current().pid() + " -e 'usdt::logged:* { @fires[probe] = count(); }'");
        });
    }

    @Test
    void secondContextWithTheSameProviderNameGetsAnAlternativeName(CapturedOutput output) {
        runner.withPropertyValues("dtrace.provider=twice").run(first ->
                runner.withPropertyValues("dtrace.provider=twice").run(second -> {
                    assertThat(second.getBean(DTraceProvider.class).name()).isEqualTo("twice_2");
                    assertThat(second.getBean(DTraceProvider.class).isEnabled()).isTrue();
                    assertThat(output).contains("this context's provider is 'twice_2'");
                }));
    }

    @Test
    void failureToEnableIsOneWarningAndTheApplicationStarts(@TempDir Path temp, CapturedOutput output)
            throws Exception {
        Path notADirectory = Files.createFile(temp.resolve("file"));
        runner.withPropertyValues("dtrace.directory=" + notADirectory).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DTraceProvider.class).isEnabled()).isFalse();
            assertThat(output).containsOnlyOnce("DTrace probes are off: ");
            assertThat(output.getAll().lines().filter(line -> line.contains("DTrace probes are off: ")))
                    .singleElement().asString().contains("WARN").endsWith("; the application runs without them");
        });
    }

    @Test
    void disabledStarterKeepsAnInertProviderForApplicationCodeAndAddsNoProbes() {
        runner.withPropertyValues("dtrace.enabled=false", "dtrace.probes.order-placed=int").run(context -> {
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            assertThat(provider.isEnabled()).isFalse();
            assertThat(provider.probes()).extracting(Probe::name).containsExactly("order-placed");
            assertThat(context).doesNotHaveBean(HttpProbes.class).doesNotHaveBean(MethodProbes.class)
                    .doesNotHaveBean(TracedAdvisor.class).doesNotHaveBean(DTraceMeterRegistry.class);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnProvider() {
        runner.withUserConfiguration(OwnProvider.class).run(context -> {
            assertThat(context).hasSingleBean(DTraceProvider.class);
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            assertThat(provider.name()).isEqualTo("mine");
            assertThat(provider.isEnabled()).as("enabled by the starter all the same").isTrue();
            assertThat(provider.findProbe("method-entry")).as("the starter's probes are added to it").isPresent();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnProvider {

        @Bean
        DTraceProvider myProvider() {
            return DTraceProvider.create("mine");
        }
    }
}
