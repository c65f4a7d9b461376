package io.github.dtraceprovider.spring.metrics;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import io.github.dtraceprovider.spring.provider.ReservedProbeNames;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meter probes. The registry is an ordinary MeterRegistry bean, defined after Spring Boot's simple
 * registry (which stands back when any MeterRegistry exists) and before its composite registry, which then gathers
 * it with the application's registries, so every meter update reaches it.
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple."
                + "SimpleMetricsExportAutoConfiguration",
        beforeName = "org.springframework.boot.micrometer.metrics.autoconfigure."
                + "CompositeMeterRegistryAutoConfiguration")
public final class DTraceMetricsAutoConfiguration {

    /** The probe names are taken even where meter probes are off (see {@link ReservedProbeNames}). */
    @Bean
    @ConditionalOnMissingBean(name = "dtraceMeterProbeNames")
    ReservedProbeNames dtraceMeterProbeNames() {
        return new ReservedProbeNames(MeterProbes.COUNTER, MeterProbes.TIMER, MeterProbes.SUMMARY, MeterProbes.GAUGE);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.metrics.enabled" }, matchIfMissing = true)
    @EnableConfigurationProperties(DTraceMetricsProperties.class)
    static class MeterProbesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MeterProbes dtraceMeterProbes(DTraceProvider provider) {
            return new MeterProbes(provider);
        }

        @Bean
        @ConditionalOnMissingBean
        DTraceMeterRegistry dtraceMeterRegistry(MeterProbes probes, ObjectProvider<Clock> clock) {
            return new DTraceMeterRegistry(probes, clock.getIfAvailable(() -> Clock.SYSTEM));
        }

        @Bean
        @ConditionalOnMissingBean
        GaugeSampler dtraceGaugeSampler(DTraceMeterRegistry registry, MeterProbes probes,
                DTraceMetricsProperties properties) {
            return new GaugeSampler(registry, probes, properties.getGaugeInterval());
        }
    }
}
