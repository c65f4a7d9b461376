package io.github.dtraceprovider.spring.http.reactive;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.provider.SpanIds;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * What the HTTP probes read from a reactive request, for the filter and the observation handler alike.
 */
final class ReactiveRequests {

    private ReactiveRequests() {
    }

    /** Starts a request if the probes are traced; {@code spanIds} are its server span's, read only if needed. */
    static InFlightRequest start(HttpProbes probes, ServerHttpRequest request, Supplier<SpanIds> spanIds) {
        if (!probes.isTraced()) {
            return null;
        }
        return probes.start(request.getMethod().name(), request.getPath().value(),
                request.getPath().pathWithinApplication().value(), request.getURI().getRawQuery(),
                () -> remoteAddress(request), spanIds);
    }

    /** The status set so far; a response nobody set a status on goes out as 200. */
    static int status(ServerHttpResponse response) {
        HttpStatusCode status = response.getStatusCode();
        return status != null ? status.value() : 200;
    }

    /** The matched handler pattern as WebFlux's handler mappings record it (a PathPattern); null if none. */
    static String route(Object pattern) {
        return pattern != null ? pattern.toString() : null;
    }

    private static String remoteAddress(ServerHttpRequest request) {
        InetSocketAddress address = request.getRemoteAddress();
        if (address == null) {
            return "";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
