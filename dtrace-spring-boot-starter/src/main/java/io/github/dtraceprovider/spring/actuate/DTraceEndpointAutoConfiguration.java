package io.github.dtraceprovider.spring.actuate;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code dtrace} and {@code dtracemethodprobes} actuator endpoints, each when the application has the actuator and
 * exposes it. The {@code dtrace} endpoint is there with {@code dtrace.enabled=false} too, to say so; the
 * {@code dtracemethodprobes} endpoint is there without dtrace-agent too, which may be attached at any time.
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class)
@ConditionalOnClass({ DTraceProvider.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class DTraceEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    DTraceEndpoint dtraceEndpoint(DTraceProvider provider) {
        return new DTraceEndpoint(provider);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    DTraceMethodProbesEndpoint dtraceMethodProbesEndpoint() {
        return new DTraceMethodProbesEndpoint();
    }
}
