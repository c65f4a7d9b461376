package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meter probes: a registry in Spring Boot's composite by default, mirroring the application's registry there and
 * keeping values where it is the only registry, switched off by their property, backing off when the application
 * defines the bean, and absent without breaking startup where Micrometer is missing.
 */
class DTraceMetricsAutoConfigurationTest {

    private final ApplicationContextRunner plain = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    private final ApplicationContextRunner metrics = plain.withConfiguration(AutoConfigurations.of(
            MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class));

    @Test
    void meterRegistryJoinsTheApplicationsRegistriesInBootsComposite() {
        metrics.run(context -> {
            assertThat(context).hasSingleBean(DTraceMeterRegistry.class).hasSingleBean(GaugeSampler.class)
                    .hasSingleBean(SimpleMeterRegistry.class);
            MeterRegistry primary = context.getBean(MeterRegistry.class);
            assertThat(primary).isInstanceOf(CompositeMeterRegistry.class);
            assertThat(((CompositeMeterRegistry) primary).getRegistries()).containsExactlyInAnyOrder(
                    context.getBean(DTraceMeterRegistry.class), context.getBean(SimpleMeterRegistry.class));
            primary.counter("orders").increment();
            Counter dtraceCounter = context.getBean(DTraceMeterRegistry.class).get("orders").counter();
            assertThat(dtraceCounter).isInstanceOf(ProbedCounter.class);
            assertThat(dtraceCounter.count()).isEqualTo(1);
        });
    }

    @Test
    void aloneTheRegistryKeepsValues() {
        plain.run(context -> {
            DTraceMeterRegistry registry = context.getBean(DTraceMeterRegistry.class);
            assertThat(context.getBean(MeterRegistry.class)).isSameAs(registry);
            Counter counter = registry.counter("orders");
            counter.increment(2);
            Timer timer = registry.timer("latency");
            timer.record(Duration.ofMillis(30));
            timer.record(Duration.ofMillis(10));
            DistributionSummary summary = registry.summary("size");
            summary.record(5);
            assertThat(counter).isInstanceOf(ProbedCounter.class);
            assertThat(counter.count()).isEqualTo(2);
            assertThat(timer.count()).isEqualTo(2);
            assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
            assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(30);
            assertThat(summary.totalAmount()).isEqualTo(5);
        });
    }

    @Test
    void meterProbesCanBeSwitchedOff() {
        metrics.withPropertyValues("dtrace.metrics.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(DTraceMeterRegistry.class).doesNotHaveBean(MeterProbes.class)
                .hasSingleBean(SimpleMeterRegistry.class));
    }

    @Test
    void applicationWithoutMicrometerHasNoMeterProbes() {
        plain.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MeterProbes.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBeans() {
        metrics.withUserConfiguration(OwnMeterRegistry.class).run(context ->
                assertThat(context).hasSingleBean(DTraceMeterRegistry.class).hasBean("myRegistry"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMeterRegistry {

        @Bean
        MeterProbes myMeterProbes(DTraceProvider provider) {
            return new MeterProbes(provider);
        }

        @Bean
        DTraceMeterRegistry myRegistry(MeterProbes probes) {
            return new DTraceMeterRegistry(probes, Clock.SYSTEM);
        }
    }
}
