package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * The HTTP probes of one web stack, reported one of the starter's two ways: by its observation handler where Spring
 * observes the requests, else by its filter ({@code management.observations.enable.http.server.requests=false}).
 * Each subclass sets the stack and the way in its properties and names the stack's observation handler type, which
 * is spied on to tell who reported; the routes and what every request must fire are the same for all
 * ({@link RecordedHttpProbes#assertEveryRoute}), recorded without a tracer.
 *
 * @param <H> the starter's observation handler type for the stack
 */
abstract class HttpProbesEndToEndTest<H extends ObservationHandler<?>> {

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Value("${spring.main.web-application-type}")
    WebApplicationType stack;

    /** Whether Spring observes the requests here, so that the observation handler reports them, not the filter. */
    @Value("${management.observations.enable.http.server.requests:true}")
    boolean observed;

    /** The starter's observation handler for this stack. */
    @MockitoSpyBean
    H observationHandler;

    @Test
    void httpProbesReportEveryRoute() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            new RecordedHttpProbes(recorder, port).assertEveryRoute(stack);
        }
        if (observed) {
            verify(observationHandler, atLeastOnce()).onStop(any());
        } else {
            verify(observationHandler, never()).onStart(any());
        }
    }
}
