package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring MVC with the http.server.requests observation switched off: the starter's filter fires the HTTP probes.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=mvc_fallback",
        "management.observations.enable.http.server.requests=false",
        "dtrace.http.include-query-string=true",
        "dtrace.http.exclude=/actuator/**,/greetings/secret*" })
class MvcFilterFallbackEndToEndTest extends HttpProbesEndToEndTest<ServletObservationProbeHandler> {

    @Test
    void queryStringIsReportedWhenAskedForAndExcludedPathsFireNothing() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            RecordedHttpProbes http = new RecordedHttpProbes(recorder, port);
            http.assertGet("/greetings/ada?lang=en", "/greetings/{name}", 200);
            for (int i = 0; i < 20; i++) {
                HttpRequests.get(port, "/greetings/secret-agent");
            }
            http.assertGet("/greetings/bob", "/greetings/{name}", 200);
            assertThat(recorder.fires()).filteredOn(fire -> fire.name().startsWith("http-request"))
                    .extracting(fire -> fire.arg("path")).as("what the HTTP probes fired for")
                    .containsOnly("/greetings/ada?lang=en", "/greetings/bob");
        }
    }
}
