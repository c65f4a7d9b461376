package io.github.dtraceprovider.spring.actuate;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dtrace} and {@code dtracemethodprobes} endpoints: there only when exposed, absent without breaking startup where the actuator is
 * missing, and backing off when the application defines the bean.
 */
class DTraceEndpointAutoConfigurationTest {

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    @Test
    void endpointExistsOnlyWhenExposed() {
        servlet.run(context -> assertThat(context).doesNotHaveBean(DTraceEndpoint.class));
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace").run(context ->
                assertThat(context).hasSingleBean(DTraceEndpoint.class));
    }

    @Test
    void methodProbesEndpointExistsOnlyWhenExposedItself() {
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace").run(context ->
                assertThat(context).doesNotHaveBean(DTraceMethodProbesEndpoint.class));
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtracemethodprobes").run(context ->
                assertThat(context).hasSingleBean(DTraceMethodProbesEndpoint.class));
    }

    @Test
    void applicationWithoutActuatorHasNoEndpoint() {
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace,dtracemethodprobes")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DTraceEndpoint.class)
                        .doesNotHaveBean(DTraceMethodProbesEndpoint.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBean() {
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace")
                .withUserConfiguration(OwnEndpoint.class)
                .run(context -> assertThat(context).hasSingleBean(DTraceEndpoint.class).hasBean("myEndpoint"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {

        @Bean
        DTraceEndpoint myEndpoint(DTraceProvider provider) {
            return new DTraceEndpoint(provider);
        }
    }
}
