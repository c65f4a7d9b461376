package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The mirrored meters, which keep no values, still report every update to a tracer: nothing while untraced, and with
 * a tracer attached one fire per update with the amount Micrometer's own meters would record. The timer times code
 * with the registry clock (a mock clock here, so the durations are exact) through every recording method, and a
 * negative duration or amount fires nothing, as Micrometer's meters ignore it. A {@link ProbeRecorder} stands in for
 * the tracer: it reads what each fire passes to the native probe.
 */
class MirroredMeterProbesTest {

    private final MockClock clock = new MockClock();

    @Test
    void everyUpdateFiresItsProbeOnlyWhileTraced() throws Exception {
        SimpleMeterRegistry app = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        try (DTraceProvider provider = DTraceProvider.create("mirrored_probes")) {
            MeterProbes probes = new MeterProbes(provider);
            provider.enable();
            DTraceMeterRegistry dtrace = new DTraceMeterRegistry(probes, clock, () -> List.of(app));
            CompositeMeterRegistry composite = new CompositeMeterRegistry(clock, List.of(app, dtrace));
            composite.counter("orders.placed", "region", "eu");
            composite.timer("orders.latency");
            DistributionSummary.builder("orders.size").scale(2).register(composite);
            Counter counter = dtrace.get("orders.placed").counter();
            Timer timer = dtrace.get("orders.latency").timer();
            DistributionSummary summary = dtrace.get("orders.size").summary();
            List<Probe> meterProbes = List.of(provider.probe(MeterProbes.COUNTER), provider.probe(MeterProbes.TIMER),
                    provider.probe(MeterProbes.SUMMARY));

            counter.increment();
            timer.record(Duration.ofMillis(1));
            summary.record(1);
            assertThat(meterProbes).allSatisfy(probe -> assertThat(probe.fireCount()).as(probe.name()).isZero());

            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                counter.increment(2.5);
                timer.record(Duration.ofMillis(3));
                timer.record(-1, TimeUnit.MILLISECONDS);
                timer.record(() -> {
                    clock.add(Duration.ofMillis(5));
                });
                timer.record(() -> {
                    clock.add(Duration.ofMillis(7));
                    return "supplied";
                });
                timer.recordCallable(() -> clock.add(Duration.ofMillis(11)));
                timer.wrap(() -> {
                    clock.add(Duration.ofMillis(13));
                }).run();
                timer.record(Duration.ofMillis(-2));
                timer.record(17, TimeUnit.MICROSECONDS);
                summary.record(3);
                summary.record(-4);
                summary.record(0.5);

                assertThat(recorder.fires()).extracting(ProbeRecorder.Fire::name, ProbeRecorder.Fire::args)
                        .containsExactly(
                                tuple(MeterProbes.COUNTER, List.of("orders.placed", "region=eu", 2500L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 3_000_000L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 5_000_000L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 7_000_000L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 11_000_000L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 13_000_000L)),
                                tuple(MeterProbes.TIMER, List.of("orders.latency", "", 17_000L)),
                                tuple(MeterProbes.SUMMARY, List.of("orders.size", "", 6000L)),
                                tuple(MeterProbes.SUMMARY, List.of("orders.size", "", 1000L)));
            }
        }
    }
}
