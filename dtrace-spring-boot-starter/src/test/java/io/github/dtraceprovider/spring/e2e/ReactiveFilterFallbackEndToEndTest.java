package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** WebFlux with the http.server.requests observation switched off: the starter's WebFilter fires the HTTP probes. */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "dtrace.provider=flux_fallback",
        "management.observations.enable.http.server.requests=false" })
class ReactiveFilterFallbackEndToEndTest extends HttpProbesEndToEndTest<ReactiveObservationProbeHandler> {
}
