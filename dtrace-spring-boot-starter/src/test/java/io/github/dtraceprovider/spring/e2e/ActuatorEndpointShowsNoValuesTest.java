package io.github.dtraceprovider.spring.e2e;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exposed dtrace endpoint shows definitions and counters, never a value a probe carried: argument values fired
 * while bpftrace is attached (a customer, a card number in a JSON argument, a request path and query string) appear
 * in no response, and the responses have no field besides the documented ones.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=values_e2e",
        "dtrace.http.include-query-string=true",
        "dtrace.probes.order-placed=int orderId,char * customer,json order",
        "management.endpoints.web.exposure.include=dtrace" })
class ActuatorEndpointShowsNoValuesTest {

    private static final List<String> SECRETS = List.of("secret-customer-4711", "4111-1111-1111-1111",
            "secret-path-77", "token-secret-99");
    private static final Set<String> PROVIDER_FIELDS = Set.of("provider", "module", "pid", "supported",
            "unsupportedReason", "enabled", "objectPaths", "bpftrace", "probes", "methodProbes");
    private static final Set<String> PROBE_FIELDS = Set.of("name", "noteName", "arguments", "traced", "fireCount",
            "failureCount", "objectPath", "bpftrace", "bpftraceFrom024");

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Test
    void responsesCarryDefinitionsAndCountersButNoArgumentValue() {
        Bpftrace.assumeAvailable();
        Probe orderPlaced = provider.probe("order-placed");
        Probe requestDone = provider.probe("http-request-done");
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::values_e2e:order__placed { printf(\"%s\\n\","
                + " str(arg1)); } usdt::values_e2e:http__request__done { printf(\"%s\\n\", str(arg2)); }")) {
            awaitTraced(orderPlaced);
            awaitTraced(requestDone);
            bpftrace.awaitLine(SECRETS.get(0), TIMEOUT, () -> orderPlaced.fire(() -> new Object[] {
                    4711, SECRETS.get(0), Map.of("card", SECRETS.get(1))}));
            bpftrace.awaitLine(".*" + SECRETS.get(2) + ".*" + SECRETS.get(3), TIMEOUT,
                    () -> HttpRequests.get(port, "/greetings/" + SECRETS.get(2) + "?token=" + SECRETS.get(3)));

            JsonMapper json = JsonMapper.shared();
            String all = HttpRequests.get(port, "/actuator/dtrace").body();
            String one = HttpRequests.get(port, "/actuator/dtrace/order-placed").body();
            String request = HttpRequests.get(port, "/actuator/dtrace/http-request-done").body();
            for (String body : List.of(all, one, request)) {
                assertThat(body).doesNotContain(SECRETS.toArray(String[]::new));
            }
            JsonNode providerJson = json.readTree(all);
            assertThat(fields(providerJson)).isEqualTo(new TreeSet<>(PROVIDER_FIELDS));
            providerJson.get("probes").forEach(probe -> assertThat(fields(probe))
                    .isEqualTo(new TreeSet<>(PROBE_FIELDS)));
            JsonNode orderJson = json.readTree(one);
            assertThat(fields(orderJson)).isEqualTo(new TreeSet<>(PROBE_FIELDS));
            assertThat(orderJson.get("fireCount").asLong()).isPositive();
            assertThat(orderJson.get("traced").asBoolean()).isTrue();
            assertThat(json.readTree(request).get("fireCount").asLong()).isPositive();
        }
    }

    private static Set<String> fields(JsonNode node) {
        return new TreeSet<>(node.propertyNames());
    }
}
