package io.github.dtraceprovider.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One round of what scripts/traffic.sh sends: an order placed, paid and read, a 404 and a payment that fails. */
final class DemoTraffic {

    private static final HttpClient client = HttpClient.newHttpClient();
    private static final Pattern ID = Pattern.compile("\\{\"id\":(\\d+),.*");

    private DemoTraffic() {
    }

    static void round(int port) {
        long small = place(port, "ada", 2, 450);
        send(port, "POST", "/orders/" + small + "/payment", null);
        send(port, "GET", "/orders/" + small, null);
        send(port, "GET", "/orders/999999", null);
        long big = place(port, "big-spender", 1, 250_000);
        send(port, "POST", "/orders/" + big + "/payment", null);
    }

    /** An order placed, then paid with this W3C {@code traceparent} header: the payment continues that trace. */
    static void payWithTraceparent(int port, String traceparent) {
        long id = place(port, "ada", 2, 450);
        send(port, "POST", "/orders/" + id + "/payment", null, "traceparent", traceparent);
    }

    private static long place(int port, String customer, int quantity, long unitPriceCents) {
        String body = send(port, "POST", "/orders", """
                {"customer":"%s","lines":[{"sku":"tea","quantity":%d,"unitPriceCents":%d}]}"""
                .formatted(customer, quantity, unitPriceCents));
        Matcher matcher = ID.matcher(body);
        if (!matcher.matches()) {
            throw new IllegalStateException("POST /orders answered " + body);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** Sends the request with {@code headers}, names and values in turn, and returns the response's body. */
    private static String send(int port, String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
