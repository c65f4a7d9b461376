package io.github.dtraceprovider.spring.provider;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;

import org.springframework.util.ClassUtils;

/**
 * The W3C trace and span ids (lowercase hex) of the span that Micrometer Tracing keeps in an observation's context,
 * for the probes that carry them: a tracer can then join what it sees of a request to the request's distributed
 * trace. Both are empty without Micrometer Tracing on the class path, and for an observation without a span (or
 * with a no-op tracer). Callers read them only while the probe that carries them is traced.
 *
 * <p>Micrometer Tracing's handlers put the span into the context when the observation starts; the starter's handlers
 * have the lowest precedence, so Spring Boot runs them after the tracing handlers and the span is there.
 */
public record SpanIds(String traceId, String spanId) {

    public static final SpanIds NONE = new SpanIds("", "");

    private static final boolean TRACING_PRESENT = ClassUtils.isPresent(
            "io.micrometer.tracing.handler.TracingObservationHandler", SpanIds.class.getClassLoader());

    /** The ids of the span in {@code context}, or {@link #NONE}. */
    public static SpanIds of(Observation.Context context) {
        return TRACING_PRESENT && context != null ? Tracing.idsOf(context) : NONE;
    }

    /** Touches Micrometer Tracing's classes only once they are known to be there. */
    private static final class Tracing {

        static SpanIds idsOf(Observation.Context context) {
            TracingContext tracing = context.get(TracingContext.class);
            Span span = tracing != null ? tracing.getSpan() : null;
            if (span == null) {
                return NONE;
            }
            // An unsampled span has ids too (they are in the application's log lines): no isNoop() check.
            TraceContext ids = span.context();
            return new SpanIds(orEmpty(ids.traceId()), orEmpty(ids.spanId()));
        }

        private static String orEmpty(String id) {
            return id != null ? id : "";
        }
    }
}
