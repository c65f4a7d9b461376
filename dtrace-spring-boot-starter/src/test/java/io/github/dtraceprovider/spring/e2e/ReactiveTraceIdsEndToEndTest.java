package io.github.dtraceprovider.spring.e2e;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** WebFlux with Micrometer Tracing: trace and span ids in the probes. */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=reactive", "management.tracing.sampling.probability=1.0",
        "dtrace.provider=flux_traceids" })
class ReactiveTraceIdsEndToEndTest extends TraceIdsEndToEndTest {
}
