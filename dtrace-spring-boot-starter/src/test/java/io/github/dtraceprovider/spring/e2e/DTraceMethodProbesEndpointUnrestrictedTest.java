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
 * With {@code management.endpoint.dtracemethodprobes.access=unrestricted}, the endpoint adds and removes method probes
 * through dtrace-agent's MXBean (a stand-in here) and answers with the agent's own reply, its refusal as a 400, and a
 * 409 that says how to load the agent when it is not there.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=method_probes_unrestricted",
        "management.endpoints.web.exposure.include=dtrace,dtracemethodprobes",
        "management.endpoint.dtracemethodprobes.access=unrestricted" })
class DTraceMethodProbesEndpointUnrestrictedTest {

    private static final String PATH = "/actuator/dtracemethodprobes/";
    private static final String FIND = "com.acme.OrderRepository#find";

    @LocalServerPort
    int port;

    @Test
    void addsAndRemovesAProbeWithTheAgentsReply() throws Exception {
        try (AgentMXBeanStandIn agent = AgentMXBeanStandIn.register()) {
            HttpResponse<String> add = HttpRequests.post(port, PATH + "slow-find",
                    "{\"method\": \"" + FIND + "\", \"args\": \"arg0,arg0.id\"}");
            assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
            assertThat(message(add)).isEqualTo("added dynamic:slow__find to 1 method(s) of " + FIND);
            JsonNode listed = JsonMapper.shared().readTree(HttpRequests.get(port, "/actuator/dtrace").body())
                    .get("methodProbes");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("expressions").toString()).isEqualTo("[\"arg0\",\"arg0.id\"]");

            HttpResponse<String> remove = HttpRequests.delete(port, PATH + "slow-find");
            assertThat(remove.statusCode()).as(remove.body()).isEqualTo(200);
            assertThat(message(remove)).isEqualTo("removed slow-find from " + FIND);
            assertThat(agent.has("slow-find")).isFalse();
        }
    }

    @Test
    void argsMayBeLeftOut() throws Exception {
        try (AgentMXBeanStandIn agent = AgentMXBeanStandIn.register()) {
            HttpResponse<String> add = HttpRequests.post(port, PATH + "bare", "{\"method\": \"" + FIND + "\"}");
            assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
            assertThat(agent.getProbes()[0].getExpressions()).isEmpty();
        }
    }

    @Test
    void theAgentsRefusalIsABadRequestWithItsMessage() throws Exception {
        try (AgentMXBeanStandIn agent = AgentMXBeanStandIn.register()) {
            agent.add("taken", FIND, "");

            HttpResponse<String> addAgain = HttpRequests.post(port, PATH + "taken", "{\"method\": \"" + FIND + "\"}");
            HttpResponse<String> removeUnknown = HttpRequests.delete(port, PATH + "unknown");

            assertThat(addAgain.statusCode()).as(addAgain.body()).isEqualTo(400);
            assertThat(message(addAgain)).isEqualTo("probe taken is added already: remove it first");
            assertThat(removeUnknown.statusCode()).as(removeUnknown.body()).isEqualTo(400);
            assertThat(message(removeUnknown)).isEqualTo("no probe unknown is added");
        }
    }

    @Test
    void withoutTheAgentTheAnswerSaysHowToLoadIt() {
        String howToLoad = "dtrace-agent is not loaded in this JVM: load it with java -jar dtrace-agent.jar attach "
                + ProcessHandle.current().pid() + " list, or start the JVM with -javaagent:dtrace-agent.jar";

        HttpResponse<String> add = HttpRequests.post(port, PATH + "slow-find", "{\"method\": \"" + FIND + "\"}");
        HttpResponse<String> remove = HttpRequests.delete(port, PATH + "slow-find");

        assertThat(add.statusCode()).as(add.body()).isEqualTo(409);
        assertThat(message(add)).isEqualTo(howToLoad);
        assertThat(remove.statusCode()).as(remove.body()).isEqualTo(409);
        assertThat(message(remove)).isEqualTo(howToLoad);
    }

    private static String message(HttpResponse<String> response) {
        JsonNode body = JsonMapper.shared().readTree(response.body());
        assertThat(body.propertyNames()).containsExactly("message");
        return body.get("message").asString();
    }
}
