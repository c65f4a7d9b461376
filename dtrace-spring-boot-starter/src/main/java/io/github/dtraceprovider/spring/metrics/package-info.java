/**
 * Micrometer meter probes ({@code dtrace.metrics.*}): a {@code MeterRegistry} whose meters fire {@code meter-counter},
 * {@code meter-timer} and {@code meter-summary} on every update, and a sampler that reports gauges into
 * {@code meter-gauge} while it is traced.
 */
package io.github.dtraceprovider.spring.metrics;
