package io.github.dtraceprovider.spring.json;

import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@code json} probe arguments written by the application's own Jackson 3 mapper, with its modules and settings,
 * bounded like the built-in encoder (see {@link JacksonJsonEncoder}). The provider takes this encoder when it exists,
 * else dtrace-core's built-in one.
 */
@AutoConfiguration(before = DTraceAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
public final class DTraceJsonAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(JsonMapper.class)
    JsonEncoder dtraceJsonEncoder(JsonMapper jsonMapper) {
        return new JacksonJsonEncoder(jsonMapper);
    }
}
