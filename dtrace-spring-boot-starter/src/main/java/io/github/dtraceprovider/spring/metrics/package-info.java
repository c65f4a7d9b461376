/**
 * Micrometer meter probes ({@code dtrace.metrics.*}): a {@code MeterRegistry} whose meters fire {@code meter-counter},
 * {@code meter-timer} and {@code meter-summary} on every update, and a sampler that reports gauges into
 * {@code meter-gauge} while it is traced.
 *
 * <p>How reads work. Beside the application's registries (the usual case: Boot's composite gathers them all) the
 * registry mirrors them: its counters, timers and summaries ({@code Mirrored*}) keep no values, so an update is one
 * probe check, and every read answers from the meter with the same id in a sibling registry
 * ({@code SiblingRegistries}, {@code SiblingMeter}), found on the first read that finds it and then kept. Reads have
 * to answer the application's values because a composite reads from whichever child comes first in an
 * identity-keyed map, and the actuator's metrics endpoint from the first child registry that has the meter: either
 * may be this registry. As the application's only registry
 * it keeps values itself ({@code Probed*}, Micrometer's cumulative meters), so that it still works as a registry.
 */
package io.github.dtraceprovider.spring.metrics;
