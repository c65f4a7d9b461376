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
 * The {@code dtrace} actuator endpoint, when the application has the actuator and exposes the endpoint. It is there
 * with {@code dtrace.enabled=false} too, to say so.
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
}
