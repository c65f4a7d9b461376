package io.github.dtraceprovider.spring.provider;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.JsonEncoder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The application's {@link DTraceProvider}: named by {@code dtrace.provider}, else {@code spring.application.name},
 * else {@code java}; holding the probes of {@code dtrace.probes}; enabled once the context is refreshed and closed
 * with it. The features of the starter add their probes to it and declare their names as {@link ReservedProbeNames};
 * a {@link JsonEncoder} bean, if any, writes its {@code json} arguments.
 */
@AutoConfiguration
@ConditionalOnClass(DTraceProvider.class)
@EnableConfigurationProperties(DTraceProperties.class)
public final class DTraceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DTraceProvider dtraceProvider(DTraceProperties properties, Environment environment,
            ObjectProvider<JsonEncoder> jsonEncoder, ObjectProvider<ReservedProbeNames> reservedNames) {
        return DTraceProviderFactory.create(properties, environment, jsonEncoder.getIfAvailable(JsonEncoder::simple),
                reservedNames.stream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "dtrace.enabled", matchIfMissing = true)
    ProviderLifecycle dtraceProviderLifecycle(DTraceProvider provider) {
        return new ProviderLifecycle(provider);
    }
}
