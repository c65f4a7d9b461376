package io.github.dtraceprovider.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;

/** The starter's auto-configurations, plus Spring Boot's AOP auto-proxying that @Traced relies on. */
final class StarterAutoConfigurations {

    static final AutoConfigurations ALL = AutoConfigurations.of(AopAutoConfiguration.class,
            DTraceAutoConfiguration.class, DTraceHttpAutoConfiguration.class, DTraceTracedAutoConfiguration.class,
            DTraceMetricsAutoConfiguration.class, DTraceEndpointAutoConfiguration.class);

    private StarterAutoConfigurations() {
    }
}
