package io.github.dtraceprovider.spring.http.servlet;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.HandlerMapping;

/**
 * What the HTTP probes read from a servlet request, for the filter and the observation handler alike.
 */
final class ServletRequests {

    private ServletRequests() {
    }

    static InFlightRequest start(HttpProbes probes, HttpServletRequest request) {
        if (!probes.isTraced()) {
            return null;
        }
        String path = request.getRequestURI();
        String pathWithinApplication = path.substring(Math.min(request.getContextPath().length(), path.length()));
        return probes.start(request.getMethod(), path, pathWithinApplication, request.getQueryString(),
                request::getRemoteAddr);
    }

    /** The pattern of the handler that matched, set by Spring MVC's handler mappings; null if none matched. */
    static String route(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        return pattern != null ? pattern.toString() : null;
    }
}
