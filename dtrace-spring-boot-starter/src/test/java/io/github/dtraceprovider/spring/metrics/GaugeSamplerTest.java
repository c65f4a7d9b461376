package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauge sampler keeps sampling, tick after tick, when one gauge throws an {@code Error} and when the registry
 * itself throws: a healthy gauge is sampled on each of the first ticks, its value fired as a tracer would read it.
 */
class GaugeSamplerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aGaugeThatThrowsAnErrorStopsNeitherTheOthersNorLaterTicks() {
        // Micrometer's own gauges catch what their function throws; a gauge of another kind may not.
        MeterRegistry registry = new SimpleMeterRegistry() {
            @Override
            protected <T> Gauge newGauge(Meter.Id id, T object, ToDoubleFunction<T> value) {
                if (!id.getName().equals("broken")) {
                    return super.newGauge(id, object, value);
                }
                return new Gauge() {
                    @Override
                    public double value() {
                        throw new StackOverflowError("gauge broke");
                    }

                    @Override
                    public Meter.Id getId() {
                        return id;
                    }
                };
            }
        };
        Gauge.builder("broken", () -> 1).register(registry);
        assertHealthyGaugeKeepsBeingSampled("gauges_error", registry);
    }

    @Test
    void aRegistryThatThrowsDoesNotStopLaterTicks() {
        MeterRegistry registry = new SimpleMeterRegistry() {
            private final AtomicInteger calls = new AtomicInteger();

            @Override
            public void forEachMeter(Consumer<? super Meter> consumer) {
                if (calls.incrementAndGet() <= 2) {
                    throw new IllegalStateException("registry broke");
                }
                super.forEachMeter(consumer);
            }
        };
        assertHealthyGaugeKeepsBeingSampled("gauges_registry", registry);
    }

    /**
     * Registers a gauge whose value is the number of times it was read, and checks that the first three samples fire
     * 1, 2 and 3 (scaled by 1000): no tick was lost, and each read once.
     */
    private static void assertHealthyGaugeKeepsBeingSampled(String providerName, MeterRegistry registry) {
        AtomicInteger samples = new AtomicInteger();
        Gauge.builder("healthy", samples, AtomicInteger::incrementAndGet).register(registry);
        try (DTraceProvider provider = DTraceProvider.create(providerName)) {
            MeterProbes probes = new MeterProbes(provider);
            provider.enable();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                GaugeSampler sampler = new GaugeSampler(registry, probes, Duration.ofMillis(50));
                sampler.start();
                try {
                    recorder.awaitFires(MeterProbes.GAUGE, 3, TIMEOUT);
                } finally {
                    sampler.stop();
                }
                assertThat(recorder.fires(MeterProbes.GAUGE).subList(0, 3))
                        .extracting(fire -> List.of(fire.arg("name"), fire.arg("value")))
                        .containsExactly(List.of("healthy", 1000L), List.of("healthy", 2000L),
                                List.of("healthy", 3000L));
            }
        }
    }
}
