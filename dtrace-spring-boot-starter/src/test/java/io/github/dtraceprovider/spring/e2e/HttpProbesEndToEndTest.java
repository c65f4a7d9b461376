package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.core.DTraceProvider;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The HTTP probes of one web stack, reported one of the starter's two ways: by its observation handler where Spring
 * observes the requests, else by its filter ({@code management.observations.enable.http.server.requests=false}).
 * Each subclass picks the stack and the way; the routes and what every request must fire are the same for all
 * ({@link HttpProbeAssertions#assertEveryRoute}).
 */
abstract class HttpProbesEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Value("${spring.main.web-application-type}")
    WebApplicationType stack;

    /** Whether Spring observes the requests here, so that the observation handler reports them, not the filter. */
    @Value("${management.observations.enable.http.server.requests:true}")
    boolean observed;

    /** The starter's observation handler for this stack, a Mockito spy. */
    abstract ObservationHandler<?> observationHandler();

    @Test
    void httpProbesReportEveryRoute() {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach(provider.name(), port)) {
            http.assertEveryRoute(stack);
        }
        if (observed) {
            verify(observationHandler(), atLeastOnce()).onStop(any());
        } else {
            verify(observationHandler(), never()).onStart(any());
        }
    }
}
