/**
 * The Spring Boot starter: USDT probes for HTTP requests, {@link io.github.dtraceprovider.spring.Traced @Traced}
 * methods, Micrometer meters and the probes of {@code dtrace.probes}, on one {@code DTraceProvider} bean.
 * <p>
 * {@link io.github.dtraceprovider.spring.Traced @Traced} is the one type application code uses directly; the rest is
 * configured through {@code dtrace.*} properties. Each sub-package is one feature with its own auto-configuration and
 * properties, built on {@code provider}, which knows none of them.
 */
package io.github.dtraceprovider.spring;
