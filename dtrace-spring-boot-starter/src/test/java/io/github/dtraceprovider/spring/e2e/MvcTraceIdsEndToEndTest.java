package io.github.dtraceprovider.spring.e2e;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** Spring MVC with Micrometer Tracing: trace and span ids in the probes. */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet", "management.tracing.sampling.probability=1.0",
        "dtrace.provider=mvc_traceids" })
class MvcTraceIdsEndToEndTest extends TraceIdsEndToEndTest {
}
