package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.http.reactive.ReactiveObservationProbeHandler;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** WebFlux with the actuator: Spring observes every request and the observation handler fires the HTTP probes. */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive",
        "dtrace.provider=flux_e2e" })
class ReactiveEndToEndTest extends HttpProbesEndToEndTest<ReactiveObservationProbeHandler> {
}
