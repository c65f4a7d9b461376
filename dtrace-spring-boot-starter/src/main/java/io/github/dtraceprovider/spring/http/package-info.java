/**
 * HTTP server probes, {@code http-request-start} and {@code http-request-done} ({@code dtrace.http.*}): the probes
 * and what the Spring MVC ({@code servlet}) and WebFlux ({@code reactive}) adapters share, among them how an
 * observation handler and a filter agree on which of them reports a request.
 */
package io.github.dtraceprovider.spring.http;
