package io.github.dtraceprovider.spring.json;

import java.util.Map;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoder of json probe arguments: the application's Jackson mapper where there is one. */
class DTraceJsonAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL)
            .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class));

    @Test
    void jsonArgumentsUseTheApplicationsJsonMapper() {
        runner.run(context -> {
            JsonEncoder encoder = context.getBean(JsonEncoder.class);
            assertThat(encoder.encode(new Item("tea", 2))).isEqualTo(
                    context.getBean(JsonMapper.class).writeValueAsString(new Item("tea", 2)));
        });
    }

    @Test
    void withoutJacksonTheCoresSimpleEncoderIsUsed() {
        runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JsonEncoder.class);
            assertThat(context).hasSingleBean(DTraceProvider.class);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnJsonEncoder() {
        runner.withBean(JsonEncoder.class, () -> value -> "{}")
                .run(context -> assertThat(context.getBean(JsonEncoder.class).encode(Map.of("a", 1))).isEqualTo("{}"));
    }

    record Item(String name, int quantity) {
    }
}
