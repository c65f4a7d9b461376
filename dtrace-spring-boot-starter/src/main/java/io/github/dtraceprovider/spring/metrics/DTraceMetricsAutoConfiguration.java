package io.github.dtraceprovider.spring.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import io.github.dtraceprovider.spring.provider.ReservedProbeNames;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
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
 * it with the application's registries, so every meter update reaches it. Beside other registries it mirrors them
 * (its meters keep no values and answer reads from theirs); as the only registry it keeps values itself (see
 * {@link DTraceMeterRegistry}).
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
        DTraceMeterRegistry dtraceMeterRegistry(MeterProbes probes, ObjectProvider<Clock> clock,
                ListableBeanFactory beanFactory, ObjectProvider<MeterRegistry> registries) {
            Clock meterClock = clock.getIfAvailable(() -> Clock.SYSTEM);
            if (!hasOtherRegistries(beanFactory)) {
                return new DTraceMeterRegistry(probes, meterClock);
            }
            return new DTraceMeterRegistry(probes, meterClock, () -> registries.orderedStream().toList());
        }

        /**
         * Whether the context defines a MeterRegistry besides composites and meter-probe registries. Decided from
         * bean definitions, creating no bean: the registries do not exist yet, and the composite depends on this one.
         * Every definition is known by now, so the answer does not change later.
         */
        private static boolean hasOtherRegistries(ListableBeanFactory beanFactory) {
            Set<String> names = new HashSet<>(Arrays.asList(namesOf(beanFactory, MeterRegistry.class)));
            names.removeAll(Arrays.asList(namesOf(beanFactory, CompositeMeterRegistry.class)));
            names.removeAll(Arrays.asList(namesOf(beanFactory, DTraceMeterRegistry.class)));
            return !names.isEmpty();
        }

        private static String[] namesOf(ListableBeanFactory beanFactory, Class<?> type) {
            return beanFactory.getBeanNamesForType(type, true, false);
        }

        @Bean
        @ConditionalOnMissingBean
        GaugeSampler dtraceGaugeSampler(DTraceMeterRegistry registry, MeterProbes probes,
                DTraceMetricsProperties properties) {
            return new GaugeSampler(registry, probes, properties.getGaugeInterval());
        }
    }
}
