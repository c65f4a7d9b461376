package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.actuate.DTraceEndpoint;
import io.github.dtraceprovider.spring.actuate.DTraceMethodProbesEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the actuator on the class path but nothing configured, neither the dtrace nor the dtracemethodprobes endpoint
 * is reachable over HTTP.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=unexposed_e2e" })
class ActuatorEndpointNotExposedTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void endpointIsNotExposedOverHttpUnlessTheApplicationSaysSo() {
        assertThat(HttpRequests.get(port, "/actuator/health").statusCode()).as("the actuator runs").isEqualTo(200);
        assertThat(HttpRequests.get(port, "/actuator/dtrace").statusCode()).isEqualTo(404);
        assertThat(HttpRequests.get(port, "/actuator/dtrace/http-request-done").statusCode()).isEqualTo(404);
        assertThat(HttpRequests.get(port, "/actuator/dtracemethodprobes").statusCode()).isEqualTo(404);
        assertThat(HttpRequests.get(port, "/actuator").body()).doesNotContain("dtrace");
        assertThat(context.getBeansOfType(DTraceEndpoint.class)).as("no endpoint bean either").isEmpty();
        assertThat(context.getBeansOfType(DTraceMethodProbesEndpoint.class)).isEmpty();
    }
}
