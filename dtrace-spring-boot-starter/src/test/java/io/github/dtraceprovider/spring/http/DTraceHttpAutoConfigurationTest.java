package io.github.dtraceprovider.spring.http;

import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.github.dtraceprovider.spring.http.reactive.ReactiveHttpProbeFilter;
import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;
import io.github.dtraceprovider.spring.http.servlet.ServletHttpProbeFilter;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP probes: on by default in servlet and reactive applications, switched off by their property, backing off when
 * the application defines the bean, and absent without breaking startup where there is no web stack.
 */
class DTraceHttpAutoConfigurationTest {

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    @Test
    void servletApplicationGetsTheFilterAndTheObservationHandler() {
        servlet.run(context -> assertThat(context).hasSingleBean(HttpProbes.class)
                .hasSingleBean(ServletHttpProbeFilter.class).hasSingleBean(ServletObservationProbeHandler.class)
                .doesNotHaveBean(ReactiveHttpProbeFilter.class));
    }

    @Test
    void reactiveApplicationGetsTheWebFilterAndTheObservationHandler() {
        reactive.run(context -> assertThat(context).hasSingleBean(HttpProbes.class)
                .hasSingleBean(ReactiveHttpProbeFilter.class).hasSingleBean(ReactiveObservationProbeHandler.class)
                .doesNotHaveBean(ServletHttpProbeFilter.class));
    }

    @Test
    void httpProbesCanBeSwitchedOff() {
        servlet.withPropertyValues("dtrace.http.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(HttpProbes.class).doesNotHaveBean(ServletHttpProbeFilter.class)
                    .doesNotHaveBean(ServletObservationProbeHandler.class);
            assertThat(context.getBean(DTraceProvider.class).findProbe(HttpProbes.DONE)).isEmpty();
        });
        reactive.withPropertyValues("dtrace.http.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(HttpProbes.class).doesNotHaveBean(ReactiveHttpProbeFilter.class));
    }

    @Test
    void nonWebApplicationHasNoHttpProbes() {
        new ApplicationContextRunner().withConfiguration(StarterAutoConfigurations.ALL).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(HttpProbes.class));
    }

    @Test
    void servletApplicationWithoutSpringMvcStartsWithoutTheFilter() {
        servlet.withClassLoader(new FilteredClassLoader(DispatcherServlet.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ServletHttpProbeFilter.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBean() {
        servlet.withUserConfiguration(OwnHttpProbes.class).run(context ->
                assertThat(context).hasSingleBean(HttpProbes.class).hasBean("myHttpProbes"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHttpProbes {

        @Bean
        HttpProbes myHttpProbes(DTraceProvider provider) {
            return new HttpProbes(provider, List.of(), true);
        }
    }
}
