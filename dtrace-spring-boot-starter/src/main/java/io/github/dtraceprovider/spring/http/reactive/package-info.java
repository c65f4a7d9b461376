/**
 * The HTTP probes for WebFlux: an observation handler for the requests Spring observes, a {@code WebFilter} for the
 * others.
 */
package io.github.dtraceprovider.spring.http.reactive;
