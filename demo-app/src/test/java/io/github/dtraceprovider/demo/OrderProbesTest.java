package io.github.dtraceprovider.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.test.RecordProbes;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's application probes fire with the right arguments when an order is placed and paid over HTTP: checked
 * with dtrace-test's recorder, so without a tracer, without root, and on any operating system.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@RecordProbes
class OrderProbesTest {

    private static final Pattern ID = Pattern.compile("\\{\"id\":(\\d+),.*");
    private static final Pattern AUTHORIZATION = Pattern.compile(".*\"authorization\":\"([^\"]+)\".*");

    private final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void placingAndPayingAnOrderFiresOrderPlacedAndPaymentAuthorized(ProbeRecorder recorder) throws Exception {
        HttpResponse<String> placed = post("/orders",
                "{\"customer\":\"ada\",\"lines\":[{\"sku\":\"tea\",\"quantity\":2,\"unitPriceCents\":450}]}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        long id = Long.parseLong(match(ID, placed.body()));

        ProbeRecorder.Fire orderPlaced = recorder.fires("order-placed").get(0);
        assertThat(orderPlaced.arg("orderId")).isEqualTo(id);
        assertThat(orderPlaced.arg("customer")).isEqualTo("ada");
        assertThat(orderPlaced.arg("totalCents")).isEqualTo(900L);
        assertThat((String) orderPlaced.arg("order")).startsWith("{\"id\":" + id + ",\"customer\":\"ada\",")
                .contains("\"sku\":\"tea\"", "\"status\":\"PLACED\"");

        HttpResponse<String> paid = post("/orders/" + id + "/payment", null);
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);

        ProbeRecorder.Fire authorized = recorder.fires("payment-authorized").get(0);
        assertThat(authorized.args()).containsExactly(id, 900L, match(AUTHORIZATION, paid.body()));
        // the HTTP probes fire once the response is written; the payment's call to the bank is a request too
        assertThat(recorder.awaitFires("http-request-done", 3, Duration.ofSeconds(20)))
                .map(fire -> List.of(fire.arg("route"), fire.arg("status")))
                .containsExactlyInAnyOrder(List.of("/orders", 201L), List.of("/bank/charges", 201L),
                        List.of("/orders/{id}/payment", 200L));
        // and Spring observed the outgoing call
        assertThat(recorder.fires("observation-stop"))
                .filteredOn(fire -> "http.client.requests".equals(fire.arg("name")))
                .singleElement()
                .satisfies(call -> assertThat((String) call.arg("lowCardinalityTags"))
                        .contains("method=POST", "status=201", "uri=/bank/charges"))
                .satisfies(call -> assertThat(call.arg("error")).isEqualTo(""));
    }

    @Test
    void aFailingPaymentAuthorizesNothing(ProbeRecorder recorder) throws Exception {
        long id = Long.parseLong(match(ID, post("/orders",
                "{\"customer\":\"big-spender\",\"lines\":[{\"sku\":\"tea\",\"quantity\":1,\"unitPriceCents\":250000}]}")
                .body()));
        assertThat(post("/orders/" + id + "/payment", null).statusCode()).isEqualTo(500);
        assertThat(recorder.fires("order-placed")).hasSize(1);
        assertThat(recorder.fires("payment-authorized")).isEmpty();
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String match(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        assertThat(matcher.matches()).as(pattern + " in " + body).isTrue();
        return matcher.group(1);
    }
}
