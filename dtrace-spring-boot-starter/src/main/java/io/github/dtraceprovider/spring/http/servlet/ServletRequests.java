package io.github.dtraceprovider.spring.http.servlet;

import java.util.function.Supplier;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.provider.SpanIds;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.HandlerMapping;

/**
 * What the HTTP probes read from a servlet request, for the filter and the observation handler alike.
 */
final class ServletRequests {

    private ServletRequests() {
    }

    /** Starts a request if the probes are traced; {@code spanIds} are its server span's, read only if needed. */
    static InFlightRequest start(HttpProbes probes, HttpServletRequest request, Supplier<SpanIds> spanIds) {
        if (!probes.isTraced()) {
            return null;
        }
        String path = request.getRequestURI();
        String pathWithinApplication = path.substring(Math.min(request.getContextPath().length(), path.length()));
        return probes.start(request.getMethod(), path, pathWithinApplication, request.getQueryString(),
                request::getRemoteAddr, spanIds);
    }

    /** The pattern of the handler that matched, set by Spring MVC's handler mappings; null if none matched. */
    static String route(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return pattern != null ? pattern.toString() : null;
    }
}
