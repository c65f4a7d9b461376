package io.github.dtraceprovider.spring.http.reactive;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.http.ObservedRequests;
import io.github.dtraceprovider.spring.provider.SpanIds;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Fires the HTTP probes from Spring's {@code http.server.requests} observation of WebFlux requests, which ends once
 * the response is committed with its final status, error responses included.
 */
public final class ReactiveObservationProbeHandler implements ObservationHandler<ServerRequestObservationContext> {

    private final HttpProbes probes;

    public ReactiveObservationProbeHandler(HttpProbes probes) {
        this.probes = probes;
    }

    @Override
    public void onStart(ServerRequestObservationContext context) {
        ObservedRequests.claim(context,
                ReactiveRequests.start(probes, context.getCarrier(), () -> SpanIds.of(context)));
    }

    @Override
    public void onStop(ServerRequestObservationContext context) {
        InFlightRequest inFlight = ObservedRequests.claimed(context);
        if (inFlight != null && context.getResponse() != null) {
            probes.done(inFlight, context.getPathPattern(), ReactiveRequests.status(context.getResponse()));
        }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }
}
