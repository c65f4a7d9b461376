package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

/** WebFlux with the actuator: Spring observes every request and the observation handler fires the HTTP probes. */
@SpringBootTest(classes = ReactiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "dtrace.provider=flux_e2e" })
class ReactiveEndToEndTest {

    @LocalServerPort
    int port;

    @MockitoSpyBean
    ReactiveObservationProbeHandler observationHandler;

    @Test
    void httpProbesReportRequestsThroughTheObservation() {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach("flux_e2e", port)) {
            http.assertGet("/greetings/ada", "/greetings/{name}", 200);
            http.assertGet("/failures", "/failures", 500);
            http.assertGet("/no/such/page", "/**", 404);
        }
        verify(observationHandler, atLeastOnce()).onStop(any());
    }
}
