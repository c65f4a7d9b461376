package io.github.dtraceprovider.spring.e2e;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** Spring MVC with Micrometer Tracing: trace and span ids in the probes; the handler calls out with a RestClient. */
@SpringBootTest(classes = { ObservedApplication.class, MvcTraceIdsEndToEndTest.RestClientRelay.class },
        webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
                "spring.main.web-application-type=servlet", "management.tracing.sampling.probability=1.0",
                "dtrace.provider=mvc_traceids" })
class MvcTraceIdsEndToEndTest extends TraceIdsEndToEndTest {

    /** Calls this server with the RestClient Spring Boot configures, which Spring observes. */
    @RestController
    static class RestClientRelay {

        private final RestClient client;

        RestClientRelay(RestClient.Builder clients) {
            this.client = clients.build();
        }

        @GetMapping(RELAYED)
        String relay(@PathVariable String name, HttpServletRequest request) {
            return client.get().uri("http://localhost:{port}" + RELAYED_TO, request.getLocalPort(), name).retrieve()
                    .body(String.class);
        }
    }
}
