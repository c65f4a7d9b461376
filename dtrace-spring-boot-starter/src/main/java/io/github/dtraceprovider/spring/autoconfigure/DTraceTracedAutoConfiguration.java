package io.github.dtraceprovider.spring.autoconfigure;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.traced.MethodProbes;
import io.github.dtraceprovider.spring.traced.TracedAdvisor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * {@link io.github.dtraceprovider.spring.Traced @Traced} methods. The advisor has the infrastructure role, like the
 * ones behind {@code @Async} and {@code @Transactional}, so Spring Boot's auto-proxying applies it with plain Spring
 * AOP: no AspectJ weaver needed.
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.traced.enabled" }, matchIfMissing = true)
public final class DTraceTracedAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    MethodProbes dtraceMethodProbes(DTraceProvider provider) {
        return new MethodProbes(provider);
    }

    /** Static and lazy in its dependency: advisors are created early, while post-processors are being registered. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static TracedAdvisor dtraceTracedAdvisor(ObjectProvider<MethodProbes> probes) {
        return new TracedAdvisor(probes::getObject);
    }
}
