package io.github.dtraceprovider.spring.autoconfigure;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.spring.json.JacksonJsonEncoder;
import io.github.dtraceprovider.spring.provider.DTraceProviderFactory;
import io.github.dtraceprovider.spring.provider.ProviderLifecycle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The application's {@link DTraceProvider}: named by {@code dtrace.provider}, else {@code spring.application.name},
 * else {@code java}; holding the probes of {@code dtrace.probes}; enabled once the context is refreshed and closed
 * with it. The HTTP, {@code @Traced} and Micrometer auto-configurations add their probes to it.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(DTraceProvider.class)
@EnableConfigurationProperties(DTraceProperties.class)
public final class DTraceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DTraceProvider dtraceProvider(DTraceProperties properties, Environment environment,
            ObjectProvider<JsonEncoder> jsonEncoder) {
        String applicationName = environment.getProperty("spring.application.name");
        return DTraceProviderFactory.create(properties.getProvider(), applicationName, properties.getDirectory(),
                jsonEncoder.getIfAvailable(JsonEncoder::simple), properties.getProbes());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "dtrace.enabled", matchIfMissing = true)
    ProviderLifecycle dtraceProviderLifecycle(DTraceProvider provider) {
        return new ProviderLifecycle(provider);
    }

    /**
     * json probe arguments are written by the application's own Jackson 3 mapper, with its modules and settings,
     * bounded like the built-in encoder (see {@link JacksonJsonEncoder}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonJsonEncoderConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(JsonMapper.class)
        JsonEncoder dtraceJsonEncoder(JsonMapper jsonMapper) {
            return new JacksonJsonEncoder(jsonMapper);
        }
    }
}
