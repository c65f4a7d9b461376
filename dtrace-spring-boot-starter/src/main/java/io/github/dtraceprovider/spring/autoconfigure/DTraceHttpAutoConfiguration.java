package io.github.dtraceprovider.spring.autoconfigure;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.reactive.ReactiveHttpProbeFilter;
import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;
import io.github.dtraceprovider.spring.http.servlet.ServletHttpProbeFilter;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * HTTP server probes for Spring MVC and WebFlux. Each stack gets an observation handler, which reports the requests
 * that Spring observes as {@code http.server.requests}, and a filter, which reports the others (no
 * ObservationRegistry, a no-op one, or observations switched off).
 */
@AutoConfiguration(after = DTraceAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.http.enabled" }, matchIfMissing = true)
public final class DTraceHttpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpProbes dtraceHttpProbes(DTraceProvider provider, DTraceProperties properties) {
        return new HttpProbes(provider, properties.getHttp().getExclude(), properties.getHttp().isIncludeQueryString());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(DispatcherServlet.class)
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ServletHttpProbeFilter dtraceServletHttpProbeFilter(HttpProbes probes) {
            return new ServletHttpProbeFilter(probes);
        }

        @Bean
        @ConditionalOnMissingBean
        ServletObservationProbeHandler dtraceServletObservationProbeHandler(HttpProbes probes) {
            return new ServletObservationProbeHandler(probes);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass({ DispatcherHandler.class, Mono.class })
    static class ReactiveConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReactiveHttpProbeFilter dtraceReactiveHttpProbeFilter(HttpProbes probes) {
            return new ReactiveHttpProbeFilter(probes);
        }

        @Bean
        @ConditionalOnMissingBean
        ReactiveObservationProbeHandler dtraceReactiveObservationProbeHandler(HttpProbes probes) {
            return new ReactiveObservationProbeHandler(probes);
        }
    }
}
