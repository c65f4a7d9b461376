package io.github.dtraceprovider.spring.traced;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import io.github.dtraceprovider.spring.Traced;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Traced}: on by default with Spring AOP alone, switched off by its property, and backing off when the
 * application defines the bean.
 */
class DTraceTracedAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL);

    @Test
    void tracedBeansAreProxiedWithoutAspectJ() {
        assertThat(getClass().getClassLoader().getResource("org/aspectj/weaver/Advice.class"))
                .as("aspectjweaver is not on the test classpath").isNull();
        runner.withBean(TracedBean.class).run(context -> {
            assertThat(context).hasSingleBean(TracedAdvisor.class).hasSingleBean(MethodProbes.class);
            assertThat(AopUtils.isAopProxy(context.getBean(TracedBean.class))).isTrue();
            assertThat(context.getBean(TracedBean.class).answer()).isEqualTo(42);
        });
    }

    @Test
    void tracedCanBeSwitchedOff() {
        runner.withBean(TracedBean.class).withPropertyValues("dtrace.traced.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TracedAdvisor.class).doesNotHaveBean(MethodProbes.class);
            assertThat(AopUtils.isAopProxy(context.getBean(TracedBean.class))).isFalse();
        });
    }

    @Test
    void finalTracedClassIsLeftAloneInsteadOfFailingItsCreation() {
        runner.withBean(FinalTracedBean.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(AopUtils.isAopProxy(context.getBean(FinalTracedBean.class))).isFalse();
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheBean() {
        runner.withUserConfiguration(OwnMethodProbes.class).run(context ->
                assertThat(context).hasSingleBean(MethodProbes.class).hasBean("myMethodProbes"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMethodProbes {

        @Bean
        MethodProbes myMethodProbes(DTraceProvider provider) {
            return new MethodProbes(provider);
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
