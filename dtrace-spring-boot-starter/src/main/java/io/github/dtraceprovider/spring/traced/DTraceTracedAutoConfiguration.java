package io.github.dtraceprovider.spring.traced;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import io.github.dtraceprovider.spring.provider.ReservedProbeNames;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * {@link io.github.dtraceprovider.spring.Traced @Traced} methods. The advisor has the infrastructure role, like the
 * ones behind {@code @Async} and {@code @Transactional}, so Spring Boot's auto-proxying applies it with plain Spring
 * AOP: no AspectJ weaver needed.
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class)
public final class DTraceTracedAutoConfiguration {

    /** The probe names are taken even where {@code @Traced} is off (see {@link ReservedProbeNames}). */
    @Bean
    @ConditionalOnMissingBean(name = "dtraceMethodProbeNames")
    ReservedProbeNames dtraceMethodProbeNames() {
        return new ReservedProbeNames(MethodProbes.ENTRY, MethodProbes.RETURN);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.traced.enabled" }, matchIfMissing = true)
    @EnableConfigurationProperties(DTraceTracedProperties.class)
    static class MethodProbesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MethodProbes dtraceMethodProbes(DTraceProvider provider) {
            return new MethodProbes(provider);
        }

        /**
         * Static and lazy in its dependency: advisors are created early, while post-processors are being registered.
         */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean
        static TracedAdvisor dtraceTracedAdvisor(ObjectProvider<MethodProbes> probes) {
            return new TracedAdvisor(probes::getObject);
        }
    }
}
