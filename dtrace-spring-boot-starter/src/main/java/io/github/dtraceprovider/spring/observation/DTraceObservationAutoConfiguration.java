package io.github.dtraceprovider.spring.observation;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import io.github.dtraceprovider.spring.provider.ReservedProbeNames;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observation probes, where the application has an ObservationRegistry (Spring Boot makes one with the actuator or
 * spring-boot-micrometer-observation). The handler is an ordinary ObservationHandler bean, which Spring Boot adds to
 * that registry.
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
public final class DTraceObservationAutoConfiguration {

    /** The probe names are taken even where observation probes are off (see {@link ReservedProbeNames}). */
    @Bean
    @ConditionalOnMissingBean(name = "dtraceObservationProbeNames")
    ReservedProbeNames dtraceObservationProbeNames() {
        return new ReservedProbeNames(ObservationProbes.START, ObservationProbes.STOP);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.observations.enabled" }, matchIfMissing = true)
    @EnableConfigurationProperties(DTraceObservationProperties.class)
    static class ObservationProbesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ObservationProbes dtraceObservationProbes(DTraceProvider provider) {
            return new ObservationProbes(provider);
        }

        @Bean
        @ConditionalOnMissingBean
        ObservationProbeHandler dtraceObservationProbeHandler(ObservationProbes probes) {
            return new ObservationProbeHandler(probes);
        }
    }
}
