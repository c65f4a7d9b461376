package io.github.dtraceprovider.spring.http.servlet;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.http.ObservedRequests;
import io.github.dtraceprovider.spring.provider.SpanIds;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Fires the HTTP probes from Spring's {@code http.server.requests} observation of Spring MVC requests, which already
 * follows async requests and error dispatches to their end and knows the matched route and final status.
 */
public final class ServletObservationProbeHandler implements ObservationHandler<ServerRequestObservationContext> {

    private final HttpProbes probes;

    public ServletObservationProbeHandler(HttpProbes probes) {
        this.probes = probes;
    }

    @Override
    public void onStart(ServerRequestObservationContext context) {
        ObservedRequests.claim(context, ServletRequests.start(probes, context.getCarrier(), () -> SpanIds.of(context)));
    }

    @Override
    public void onStop(ServerRequestObservationContext context) {
        InFlightRequest inFlight = ObservedRequests.claimed(context);
        if (inFlight != null && context.getResponse() != null) {
            probes.done(inFlight, context.getPathPattern(), context.getResponse().getStatus());
        }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }
}
