package io.github.dtraceprovider.spring.http.reactive;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.http.ObservedRequests;
import io.github.dtraceprovider.spring.provider.SpanIds;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Fires the HTTP probes for WebFlux requests that no observation reports (see {@link ObservedRequests}).
 * <p>
 * A request that ends in an error is reported when its error response is committed: WebFlux's exception handlers
 * run after every WebFilter, so only then is the final status (404, 500, ...) known. A request whose client went away
 * is reported at once with the status set so far.
 */
public final class ReactiveHttpProbeFilter implements WebFilter, Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    private final HttpProbes probes;

    public ReactiveHttpProbeFilter(HttpProbes probes) {
        this.probes = probes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerRequestObservationContext observation = ServerRequestObservationContext
                .findCurrent(exchange.getAttributes()).orElse(null);
        if (ObservedRequests.isClaimed(observation)) {
            return chain.filter(exchange);
        }
        InFlightRequest inFlight = ReactiveRequests.start(probes, exchange.getRequest(), () -> SpanIds.NONE);
        if (inFlight == null) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange)
                .doOnSuccess(ignored -> done(exchange, inFlight))
                .doOnError(error -> doneWhenCommitted(exchange, inFlight))
                .doOnCancel(() -> done(exchange, inFlight));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private void doneWhenCommitted(ServerWebExchange exchange, InFlightRequest inFlight) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            done(exchange, inFlight);
        } else {
            response.beforeCommit(() -> Mono.fromRunnable(() -> done(exchange, inFlight)));
        }
    }

    private void done(ServerWebExchange exchange, InFlightRequest inFlight) {
        Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        probes.done(inFlight, ReactiveRequests.route(pattern), ReactiveRequests.status(exchange.getResponse()));
    }
}
