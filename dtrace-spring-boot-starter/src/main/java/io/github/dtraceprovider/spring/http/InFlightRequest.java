package io.github.dtraceprovider.spring.http;

/**
 * A request between {@code http-request-start} and {@code http-request-done}.
 *
 * @param id pairs the start with the done fire; unique per provider for the life of the application
 * @param path the path as reported, with the query string if configured
 */
public record InFlightRequest(long id, String method, String path, long startNanos) {
}
