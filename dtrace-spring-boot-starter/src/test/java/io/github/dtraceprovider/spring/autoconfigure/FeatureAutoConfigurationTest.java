package io.github.dtraceprovider.spring.autoconfigure;

import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint;
import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.reactive.ReactiveHttpProbeFilter;
import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;
import io.github.dtraceprovider.spring.http.servlet.ServletHttpProbeFilter;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry;
import io.github.dtraceprovider.spring.metrics.GaugeSampler;
import io.github.dtraceprovider.spring.metrics.MeterProbes;
import io.github.dtraceprovider.spring.traced.MethodProbes;
import io.github.dtraceprovider.spring.traced.TracedAdvisor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each feature of the starter: on by default, switched off by its property, backing off when the application defines
 * the bean, and absent without breaking startup when its optional technology is missing.
 */
class FeatureAutoConfigurationTest {

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    private final ApplicationContextRunner plain = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    private final ApplicationContextRunner metrics = plain.withConfiguration(AutoConfigurations.of(
            MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class));

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
        plain.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpProbes.class));
    }

    @Test
    void servletApplicationWithoutSpringMvcStartsWithoutTheFilter() {
        servlet.withClassLoader(new FilteredClassLoader(DispatcherServlet.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ServletHttpProbeFilter.class));
    }

    @Test
    void tracedBeansAreProxiedWithoutAspectJ() {
        assertThat(getClass().getClassLoader().getResource("org/aspectj/weaver/Advice.class"))
                .as("aspectjweaver is not on the test classpath").isNull();
        plain.withBean(TracedBean.class).run(context -> {
            assertThat(context).hasSingleBean(TracedAdvisor.class).hasSingleBean(MethodProbes.class);
            assertThat(AopUtils.isAopProxy(context.getBean(TracedBean.class))).isTrue();
            assertThat(context.getBean(TracedBean.class).answer()).isEqualTo(42);
        });
    }

    @Test
    void tracedCanBeSwitchedOff() {
        plain.withBean(TracedBean.class).withPropertyValues("dtrace.traced.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TracedAdvisor.class).doesNotHaveBean(MethodProbes.class);
            assertThat(AopUtils.isAopProxy(context.getBean(TracedBean.class))).isFalse();
        });
    }

    @Test
    void finalTracedClassIsLeftAloneInsteadOfFailingItsCreation() {
        plain.withBean(FinalTracedBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isAopProxy(context.getBean(FinalTracedBean.class))).isFalse();
        });
    }

    @Test
    void meterRegistryJoinsTheApplicationsRegistriesInBootsComposite() {
        metrics.run(context -> {
            assertThat(context).hasSingleBean(DTraceMeterRegistry.class).hasSingleBean(GaugeSampler.class)
                    .hasSingleBean(SimpleMeterRegistry.class);
            MeterRegistry primary = context.getBean(MeterRegistry.class);
            assertThat(primary).isInstanceOf(CompositeMeterRegistry.class);
            assertThat(((CompositeMeterRegistry) primary).getRegistries()).containsExactlyInAnyOrder(
                    context.getBean(DTraceMeterRegistry.class), context.getBean(SimpleMeterRegistry.class));
            primary.counter("orders").increment();
            assertThat(context.getBean(DTraceMeterRegistry.class).get("orders").counter().count()).isEqualTo(1);
        });
    }

    @Test
    void meterProbesCanBeSwitchedOff() {
        metrics.withPropertyValues("dtrace.metrics.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(DTraceMeterRegistry.class).doesNotHaveBean(MeterProbes.class)
                .hasSingleBean(SimpleMeterRegistry.class));
    }

    @Test
    void applicationWithoutMicrometerHasNoMeterProbes() {
        plain.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(MeterProbes.class));
    }

    @Test
    void endpointExistsOnlyWhenExposed() {
        servlet.run(context -> assertThat(context).doesNotHaveBean(DTraceEndpoint.class));
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace").run(context ->
                assertThat(context).hasSingleBean(DTraceEndpoint.class));
    }

    @Test
    void applicationWithoutActuatorHasNoEndpoint() {
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DTraceEndpoint.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBeans() {
        servlet.withPropertyValues("management.endpoints.web.exposure.include=dtrace")
                .withUserConfiguration(OwnBeans.class)
                .run(context -> assertThat(context).hasSingleBean(HttpProbes.class).hasBean("myHttpProbes")
                        .hasSingleBean(MethodProbes.class).hasBean("myMethodProbes")
                        .hasSingleBean(DTraceEndpoint.class).hasBean("myEndpoint"));
        metrics.withUserConfiguration(OwnMeterRegistry.class).run(context ->
                assertThat(context).hasSingleBean(DTraceMeterRegistry.class).hasBean("myRegistry"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        @Bean
        HttpProbes myHttpProbes(DTraceProvider provider) {
            return new HttpProbes(provider, List.of(), true);
        }

        @Bean
        MethodProbes myMethodProbes(DTraceProvider provider) {
            return new MethodProbes(provider);
        }

        @Bean
        DTraceEndpoint myEndpoint(DTraceProvider provider) {
            return new DTraceEndpoint(provider);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMeterRegistry {

        @Bean
        MeterProbes myMeterProbes(DTraceProvider provider) {
            return new MeterProbes(provider);
        }

        @Bean
        DTraceMeterRegistry myRegistry(MeterProbes probes) {
            return new DTraceMeterRegistry(probes, Clock.SYSTEM);
        }
    }

    @Traced
    static class TracedBean {

        public int answer() {
            return 42;
        }
    }

    @Traced
    static final class FinalTracedBean {

        public int answer() {
            return 42;
        }
    }
}
