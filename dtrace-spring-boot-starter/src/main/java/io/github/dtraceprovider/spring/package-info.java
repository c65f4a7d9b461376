/**
 * The Spring Boot starter: USDT probes on one {@code DTraceProvider} bean, configured through {@code dtrace.*}
 * properties. {@link io.github.dtraceprovider.spring.Traced @Traced} is the one type application code uses directly.
 * <p>
 * Each sub-package is one feature with its own auto-configuration, built on {@code provider}, which knows none of
 * them:
 * <ul>
 * <li>{@code provider}: the provider bean, its name, the probes of {@code dtrace.probes} and its lifecycle</li>
 * <li>{@code http}: {@code http-request-start} and {@code http-request-done} for Spring MVC and WebFlux requests</li>
 * <li>{@code traced}: {@code method-entry}, {@code method-return} and application probes of
 * {@link io.github.dtraceprovider.spring.Traced @Traced} methods</li>
 * <li>{@code metrics}: {@code meter-counter}, {@code meter-timer}, {@code meter-summary} and {@code meter-gauge} for
 * Micrometer meters</li>
 * <li>{@code observation}: {@code observation-start} and {@code observation-stop} for every Micrometer
 * Observation</li>
 * <li>{@code json}: {@code json} probe arguments written by the application's Jackson mapper</li>
 * <li>{@code actuate}: the {@code dtrace} actuator endpoint, with the probes' definitions, counters and bpftrace
 * commands</li>
 * </ul>
 */
package io.github.dtraceprovider.spring;
