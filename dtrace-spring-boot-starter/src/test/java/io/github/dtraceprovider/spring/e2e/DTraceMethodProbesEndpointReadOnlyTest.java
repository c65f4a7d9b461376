package io.github.dtraceprovider.spring.e2e;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dtrace-agent's method probes as the actuator shows them when the application only exposes the endpoints: listed by
 * both, with the agent's MXBean (a stand-in here) or without it, and never added or removed, since adding one weaves
 * code into the running JVM.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=method_probes_read_only",
        "management.endpoints.web.exposure.include=dtrace,dtracemethodprobes" })
class DTraceMethodProbesEndpointReadOnlyTest {

    private static final String FIND = "com.acme.OrderRepository#find";

    @LocalServerPort
    int port;

    @Test
    void bothEndpointsListTheProbesTheAgentAdded() throws Exception {
        try (AgentMXBeanStandIn agent = AgentMXBeanStandIn.register()) {
            agent.add("slow-find", FIND, "arg0,arg1.customer.id");

            JsonNode listed = json("/actuator/dtrace").get("methodProbes");
            assertThat(listed).hasSize(1);
            JsonNode probe = listed.get(0);
            assertThat(probe.get("name").asString()).isEqualTo("slow-find");
            assertThat(probe.get("noteName").asString()).isEqualTo("slow__find");
            assertThat(probe.get("provider").asString()).isEqualTo("dynamic");
            assertThat(probe.get("method").asString()).isEqualTo(FIND);
            assertThat(probe.get("methods").asInt()).isEqualTo(1);
            assertThat(probe.get("firesAt").asString()).isEqualTo("entry");
            assertThat(probe.get("arguments").toString()).isEqualTo("[\"long arg0\",\"long arg1\"]");
            assertThat(probe.get("expressions").toString()).isEqualTo("[\"arg0\",\"arg1.customer.id\"]");

            JsonNode own = json("/actuator/dtracemethodprobes");
            assertThat(own.get("agentLoaded").asBoolean()).isTrue();
            assertThat(own.get("probes")).isEqualTo(listed);
        }
    }

    @Test
    void withoutTheAgentNoMethodProbeIsListed() {
        assertThat(json("/actuator/dtrace").get("methodProbes")).isEmpty();
        JsonNode own = json("/actuator/dtracemethodprobes");
        assertThat(own.get("agentLoaded").asBoolean()).isFalse();
        assertThat(own.get("probes")).isEmpty();
    }

    @Test
    void addingAndRemovingAreNotAllowedUnlessTheApplicationSaysSo() throws Exception {
        try (AgentMXBeanStandIn agent = AgentMXBeanStandIn.register()) {
            agent.add("kept", FIND, "");

            HttpResponse<String> add = HttpRequests.post(port, "/actuator/dtracemethodprobes/added",
                    "{\"method\": \"" + FIND + "\"}");
            HttpResponse<String> remove = HttpRequests.delete(port, "/actuator/dtracemethodprobes/kept");

            // Spring Boot maps no write operation of a read-only endpoint: there is nothing at these paths.
            assertThat(add.statusCode()).as(add.body()).isEqualTo(404);
            assertThat(remove.statusCode()).as(remove.body()).isEqualTo(404);
            assertThat(agent.has("added")).isFalse();
            assertThat(agent.has("kept")).isTrue();
        }
    }

    private JsonNode json(String path) {
        HttpResponse<String> response = HttpRequests.get(port, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body());
    }
}
