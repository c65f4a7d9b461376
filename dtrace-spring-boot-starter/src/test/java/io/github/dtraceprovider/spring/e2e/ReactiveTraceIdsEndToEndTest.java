package io.github.dtraceprovider.spring.e2e;

import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/** WebFlux with Micrometer Tracing: trace and span ids in the probes; the handler calls out with a WebClient. */
@SpringBootTest(classes = { ObservedApplication.class, ReactiveTraceIdsEndToEndTest.WebClientRelay.class },
        webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
                "spring.main.web-application-type=reactive", "management.tracing.sampling.probability=1.0",
                "dtrace.provider=flux_traceids" })
class ReactiveTraceIdsEndToEndTest extends TraceIdsEndToEndTest {

    /**
     * Calls this server with a WebClient, the client of a reactive handler (a RestClient would block the event loop;
     * Spring Boot configures one only for servlet applications). Its observation's parent is the request's, which
     * WebFlux keeps in the Reactor context. Spring Boot's WebClient configuration is a module this project does not
     * use, so the client is given the registry here, as that configuration would.
     */
    @RestController
    static class WebClientRelay {

        private final WebClient client;

        WebClientRelay(ObservationRegistry registry) {
            this.client = WebClient.builder().observationRegistry(registry).build();
        }

        @GetMapping(RELAYED)
        Mono<String> relay(@PathVariable String name, ServerHttpRequest request) {
            return client.get().uri("http://localhost:{port}" + RELAYED_TO, request.getLocalAddress().getPort(), name)
                    .retrieve().bodyToMono(String.class);
        }
    }
}
