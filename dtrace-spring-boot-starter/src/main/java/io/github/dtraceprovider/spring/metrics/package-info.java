/**
 * Micrometer meter probes ({@code dtrace.metrics.*}): a {@code MeterRegistry} whose meters fire {@code meter-counter},
 * {@code meter-timer} and {@code meter-summary} on every update, and a sampler that reports gauges into
 * {@code meter-gauge} while it is traced.
 *
 * <p>The registry has two modes, explained on {@link io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry}:
 * beside the application's registries its meters ({@code Mirrored*}) keep no values and answer reads from a sibling
 * registry's meter ({@code SiblingRegistries}, {@code SiblingMeter}); as the only registry they ({@code Probed*}) are
 * Micrometer's cumulative meters and keep values.
 */
package io.github.dtraceprovider.spring.metrics;
