package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;

/**
 * The gauge sampler keeps sampling, tick after tick, when one gauge throws an {@code Error} and when the registry
 * itself throws: bpftrace sees a healthy gauge's value change over several ticks.
 */
class GaugeSamplerTest {

    private static final long PID = ProcessHandle.current().pid();
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

    /** Registers a gauge that counts its samples and waits until bpftrace saw samples 1, 2 and 3. */
    private static void assertHealthyGaugeKeepsBeingSampled(String providerName, MeterRegistry registry) {
        Bpftrace.assumeAvailable();
        AtomicInteger samples = new AtomicInteger();
        Gauge.builder("healthy", samples, AtomicInteger::incrementAndGet).register(registry);
        try (DTraceProvider provider = DTraceProvider.create(providerName)) {
            MeterProbes probes = new MeterProbes(provider);
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + providerName + ":meter__gauge"
                    + " /str(arg0) == \"healthy\"/ { printf(\"healthy %ld\\n\", arg2); }")) {
                awaitTraced(provider.probe(MeterProbes.GAUGE));
                GaugeSampler sampler = new GaugeSampler(registry, probes, Duration.ofMillis(50));
                sampler.start();
                try {
                    bpftrace.awaitLines("healthy \\d+000", 3, TIMEOUT);
                } finally {
                    sampler.stop();
                }
            }
        }
    }
}
