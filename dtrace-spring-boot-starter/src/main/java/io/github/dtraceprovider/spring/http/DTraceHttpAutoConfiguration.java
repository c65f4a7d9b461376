package io.github.dtraceprovider.spring.http;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.http.reactive.ReactiveHttpProbeFilter;
import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;
import io.github.dtraceprovider.spring.http.servlet.ServletHttpProbeFilter;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import io.github.dtraceprovider.spring.provider.DTraceAutoConfiguration;
import io.github.dtraceprovider.spring.provider.ReservedProbeNames;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
public final class DTraceHttpAutoConfiguration {

    /** The probe names are taken even where HTTP probes are off (see {@link ReservedProbeNames}). */
    @Bean
    @ConditionalOnMissingBean(name = "dtraceHttpProbeNames")
    ReservedProbeNames dtraceHttpProbeNames() {
        return new ReservedProbeNames(HttpProbes.START, HttpProbes.DONE);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication
    @ConditionalOnBooleanProperty(name = { "dtrace.enabled", "dtrace.http.enabled" }, matchIfMissing = true)
    @EnableConfigurationProperties(DTraceHttpProperties.class)
    static class HttpProbesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        HttpProbes dtraceHttpProbes(DTraceProvider provider, DTraceHttpProperties properties) {
            return new HttpProbes(provider, properties.getExclude(), properties.isIncludeQueryString());
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
}
