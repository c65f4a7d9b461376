package io.github.dtraceprovider.spring.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.provider.SpanIds;

/**
 * The two HTTP server probes, shared by the Spring MVC and WebFlux adapters:
 * <ul>
 * <li>{@code http-request-start(int requestId, char *method, char *path, char *remoteAddress, char *traceId,
 * char *spanId)}</li>
 * <li>{@code http-request-done(int requestId, char *method, char *path, char *route, int status,
 * int durationNanos)}</li>
 * </ul>
 * {@code path} has no query string unless {@code dtrace.http.include-query-string} is set; {@code route} is the
 * pattern of the handler that matched ({@code /orders/{id}}), or {@code ""} when no handler pattern matched.
 * While neither probe is traced a request costs two memory reads and nothing else.
 */
public final class HttpProbes {

    public static final String START = "http-request-start";
    public static final String DONE = "http-request-done";

    private final Probe start;
    private final Probe done;
    private final ExcludedPaths excludedPaths;
    private final boolean includeQueryString;
    private final AtomicLong requestIds = new AtomicLong();

    public HttpProbes(DTraceProvider provider, List<String> excludedPatterns, boolean includeQueryString) {
        this.start = provider.addProbe(START, "int requestId", "char * method", "char * path", "char * remoteAddress",
                "char * traceId", "char * spanId");
        this.done = provider.addProbe(DONE, "int requestId", "char * method", "char * path", "char * route",
                "int status", "int durationNanos");
        this.excludedPaths = new ExcludedPaths(excludedPatterns);
        this.includeQueryString = includeQueryString;
    }

    /**
     * Whether either probe is traced: adapters check it before they read anything from the request, and call
     * {@link #start} only when it is. An untraced request fires nothing, not even when a tracer attaches before it
     * ends.
     */
    public boolean isTraced() {
        return start.isEnabled() || done.isEnabled();
    }

    /**
     * Fires {@code http-request-start} for a request that arrived while {@link #isTraced()}, and returns what
     * {@link #done} needs, or null when the path is excluded: such a request fires nothing.
     *
     * @param path the request path as the client sent it, without query string
     * @param pathWithinApplication the path as the client sent it without the context path; matched against
     * {@code dtrace.http.exclude} as Spring routes it, each segment decoded and without its {@code ;} parameters
     * @param query the raw query string, or null
     * @param spanIds the request's server span, read only while {@code http-request-start} is traced
     */
    public InFlightRequest start(String method, String path, String pathWithinApplication, String query,
            Supplier<String> remoteAddress, Supplier<SpanIds> spanIds) {
        if (excludedPaths.matches(pathWithinApplication)) {
            return null;
        }
        String reportedPath = includeQueryString && query != null && !query.isEmpty() ? path + "?" + query : path;
        InFlightRequest request = new InFlightRequest(requestIds.incrementAndGet(), method, reportedPath,
                System.nanoTime());
        if (start.isEnabled()) {
            start.fire(() -> {
                SpanIds ids = spanIds.get();
                return new Object[] {request.id(), request.method(), request.path(), remoteAddress.get(), ids.traceId(),
                        ids.spanId()};
            });
        }
        return request;
    }

    /**
     * Fires {@code http-request-done} for a request that {@link #start} returned.
     *
     * @param route the matched handler pattern, or null when none matched
     */
    public void done(InFlightRequest request, String route, int status) {
        if (done.isEnabled()) {
            long durationNanos = Math.max(1, System.nanoTime() - request.startNanos());
            done.fire(() -> new Object[] {request.id(), request.method(), request.path(), route != null ? route : "",
                    status, durationNanos});
        }
    }
}
