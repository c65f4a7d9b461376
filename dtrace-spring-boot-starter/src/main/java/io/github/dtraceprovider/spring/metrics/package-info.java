/**
 * Micrometer meter probes ({@code dtrace.metrics.*}): a {@code MeterRegistry} whose meters fire {@code meter-counter},
 * {@code meter-timer} and {@code meter-summary} on every update, and a sampler that reports gauges into
 * {@code meter-gauge} while it is traced.
 *
 * <p>The registry has two modes, explained on {@link io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry},
 * and one meter class per kind ({@code ProbedCounter}, {@code ProbedTimer}, {@code ProbedDistributionSummary}) serves
 * both: it fires its probe on every update and sends every read to a meter chosen at construction. Beside the
 * application's registries that is the sibling registry's meter with the same id ({@code SiblingRegistries},
 * {@code SiblingMeter}) and the meter keeps no values; as the only registry it is a cumulative meter of its own, which
 * every update also goes to.
 */
package io.github.dtraceprovider.spring.metrics;
