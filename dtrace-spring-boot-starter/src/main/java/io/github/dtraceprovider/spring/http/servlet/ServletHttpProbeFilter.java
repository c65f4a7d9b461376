package io.github.dtraceprovider.spring.http.servlet;

import java.io.IOException;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.http.InFlightRequest;
import io.github.dtraceprovider.spring.http.ObservedRequests;
import io.github.dtraceprovider.spring.provider.SpanIds;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Fires the HTTP probes for Spring MVC requests that no observation reports (see {@link ObservedRequests}). Async
 * requests are reported when they complete; a request whose exception escapes the servlet stack is reported as 500,
 * the status the container answers with.
 */
public final class ServletHttpProbeFilter extends OncePerRequestFilter implements Ordered {

    /** Right after Spring Boot's ServerHttpObservationFilter, whose observation this filter must be able to see. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    private final HttpProbes probes;

    public ServletHttpProbeFilter(HttpProbes probes) {
        this.probes = probes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (ObservedRequests.isClaimed(ServerHttpObservationFilter.findObservationContext(request).orElse(null))) {
            chain.doFilter(request, response);
            return;
        }
        InFlightRequest inFlight = ServletRequests.start(probes, request, () -> SpanIds.NONE);
        if (inFlight == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new CompletionListener(inFlight));
            } else {
                int status = failed && !response.isCommitted() ? HttpStatus.INTERNAL_SERVER_ERROR.value()
                        : response.getStatus();
                probes.done(inFlight, ServletRequests.route(request), status);
            }
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** Reports an async request once the container has completed it, with its final status. */
    private final class CompletionListener implements AsyncListener {

        private final InFlightRequest inFlight;

        CompletionListener(InFlightRequest inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            HttpServletRequest request = (HttpServletRequest) event.getSuppliedRequest();
            HttpServletResponse response = (HttpServletResponse) event.getSuppliedResponse();
            probes.done(inFlight, ServletRequests.route(request), response.getStatus());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new async cycle replaces the listeners: stay registered until the request really completes.
            event.getAsyncContext().addListener(this);
        }

        // A request that times out or fails still completes, and onComplete reports it with its final status.
        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }
    }
}
