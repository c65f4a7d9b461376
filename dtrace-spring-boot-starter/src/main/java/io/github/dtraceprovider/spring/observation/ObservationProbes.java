package io.github.dtraceprovider.spring.observation;

import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.provider.SpanIds;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;

/**
 * The two observation probes:
 * <ul>
 * <li>{@code observation-start(int id, char *name, char *contextualName, char *lowCardinalityTags, char *traceId,
 * char *spanId)}</li>
 * <li>{@code observation-stop(int id, char *name, char *contextualName, char *lowCardinalityTags, int durationNanos,
 * char *error)}</li>
 * </ul>
 * {@code contextualName} is {@code ""} when the observation has none; tags are {@code k=v,k=v} sorted by key, as
 * they are when the observation starts or stops; {@code error} is the class name of the exception the observation
 * recorded and its message ({@code java.lang.IllegalStateException: out of stock}), or {@code ""}.
 */
public final class ObservationProbes {

    public static final String START = "observation-start";
    public static final String STOP = "observation-stop";

    /** Shared by every provider of the process, so that an id names one observation wherever it is seen. */
    private static final AtomicLong IDS = new AtomicLong();

    private final Probe start;
    private final Probe stop;

    public ObservationProbes(DTraceProvider provider) {
        this.start = provider.addProbe(START, "int id", "char * name", "char * contextualName",
                "char * lowCardinalityTags", "char * traceId", "char * spanId");
        this.stop = provider.addProbe(STOP, "int id", "char * name", "char * contextualName",
                "char * lowCardinalityTags", "int durationNanos", "char * error");
    }

    /** Whether either probe is traced. */
    public boolean isTraced() {
        return start.isEnabled() || stop.isEnabled();
    }

    /**
     * Fires {@code observation-start} and returns what {@link #stop} needs, or null when neither probe is traced:
     * such an observation fires nothing, not even when a tracer attaches before it stops.
     */
    public InFlightObservation start(Observation.Context context) {
        if (!isTraced()) {
            return null;
        }
        InFlightObservation observation = new InFlightObservation(IDS.incrementAndGet(), System.nanoTime());
        if (start.isEnabled()) {
            start.fire(() -> {
                SpanIds ids = SpanIds.of(context);
                return new Object[] {observation.id(), textOf(context.getName()), textOf(context.getContextualName()),
                        tagsOf(context), ids.traceId(), ids.spanId()};
            });
        }
        return observation;
    }

    /**
     * Fires {@code observation-stop} for an observation that {@link #start} returned, whether or not
     * {@code observation-start} is still traced.
     */
    public void stop(InFlightObservation observation, Observation.Context context) {
        if (stop.isEnabled()) {
            long durationNanos = Math.max(1, System.nanoTime() - observation.startNanos());
            stop.fire(() -> new Object[] {observation.id(), textOf(context.getName()),
                    textOf(context.getContextualName()), tagsOf(context), durationNanos, errorOf(context)});
        }
    }

    /** {@code KeyValues} keep their entries sorted by key, one per key. */
    private static String tagsOf(Observation.Context context) {
        StringJoiner tags = new StringJoiner(",");
        for (KeyValue tag : context.getLowCardinalityKeyValues()) {
            tags.add(tag.getKey() + "=" + tag.getValue());
        }
        return tags.toString();
    }

    private static String errorOf(Observation.Context context) {
        Throwable error = context.getError();
        if (error == null) {
            return "";
        }
        String message = error.getMessage();
        return message == null ? error.getClass().getName() : error.getClass().getName() + ": " + message;
    }

    private static String textOf(String value) {
        return value == null ? "" : value;
    }
}
