package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * Spring MVC with the http.server.requests observation switched off: the starter's filter fires the HTTP probes.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=mvc_fallback",
        "management.observations.enable.http.server.requests=false",
        "dtrace.http.include-query-string=true",
        "dtrace.http.exclude=/actuator/**,/greetings/secret*" })
class MvcFilterFallbackEndToEndTest {

    @LocalServerPort
    int port;

    @MockitoSpyBean
    ServletObservationProbeHandler observationHandler;

    @Test
    void httpProbesReportRequestsThroughTheFilter() {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach("mvc_fallback", port)) {
            http.assertGet("/greetings/ada", "/greetings/{name}", 200);
            http.assertGet("/later/ada", "/later/{name}", 200);
            http.assertGet("/failures", "/failures", 500);
            http.assertGet("/no/such/page", "/**", 404);
        }
        verify(observationHandler, never()).onStart(any());
    }

    @Test
    void queryStringIsReportedWhenAskedForAndExcludedPathsFireNothing() {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach("mvc_fallback", port)) {
            http.assertGet("/greetings/ada?lang=en", "/greetings/{name}", 200);
            for (int i = 0; i < 20; i++) {
                HttpRequests.get(port, "/greetings/secret-agent");
            }
            http.assertGet("/greetings/bob", "/greetings/{name}", 200);
            assertThat(http.bpftrace().output()).noneMatch(line -> line.contains("secret"));
        }
    }
}
