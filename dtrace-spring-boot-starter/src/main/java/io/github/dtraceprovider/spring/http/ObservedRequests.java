package io.github.dtraceprovider.spring.http;

import io.micrometer.observation.Observation;

/**
 * How the fallback filters know that an observation handler already reports a request: Spring observes every server
 * request when the application has an ObservationRegistry ({@code http.server.requests}), and the starter's handler
 * then fires the probes from the observation. Where the handler did not see the request (no registry, a no-op one,
 * observations switched off by a predicate), the filter fires them itself. Each request fires exactly once.
 */
public final class ObservedRequests {

    /** The claim of a request that was not traced: Micrometer's context holds no null values. */
    private static final Object NOT_TRACED = new Object();

    private ObservedRequests() {
    }

    /** Called by a handler when an observation starts: from now on the handler owns the request. */
    public static void claim(Observation.Context context, InFlightRequest request) {
        context.put(ObservedRequests.class, request != null ? request : NOT_TRACED);
    }

    /** Whether a handler of the starter owns the request observed by this context. */
    public static boolean isClaimed(Observation.Context context) {
        return context != null && context.containsKey(ObservedRequests.class);
    }

    /** The request a handler claimed, or null if it was not traced. */
    public static InFlightRequest claimed(Observation.Context context) {
        return context.get(ObservedRequests.class) instanceof InFlightRequest request ? request : null;
    }
}
