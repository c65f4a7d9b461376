package io.github.dtraceprovider.spring.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Plain HTTP calls against the application under test. HTTP/1.1 as the applications speak it (the client's default,
 * HTTP/2, first asks for an upgrade that they ignore), and a timeout: once on Java 21, under load, a request on a
 * reused connection never got an answer and the test waited for good.
 */
final class HttpRequests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpRequests() {
    }

    /** GET {@code path}, with {@code headers} as name, value, name, value... */
    static HttpResponse<String> get(int port, String path, String... headers) {
        HttpRequest.Builder request = to(port, path);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.GET());
    }

    /** POST {@code json} to {@code path}. */
    static HttpResponse<String> post(int port, String path, String json) {
        return send(to(port, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** DELETE {@code path}. */
    static HttpResponse<String> delete(int port, String path) {
        return send(to(port, path).DELETE());
    }

    private static HttpRequest.Builder to(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(TIMEOUT);
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " got no answer in "
                    + TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
