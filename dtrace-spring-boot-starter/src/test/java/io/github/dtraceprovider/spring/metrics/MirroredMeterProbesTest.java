package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mirrored meters, which keep no values, still report every update to a tracer: nothing while untraced, and with
 * bpftrace attached one fire per update with the amount Micrometer's own meters would record. The timer times code
 * with the registry clock (a mock clock here, so the durations are exact) through every recording method, and a
 * negative duration or amount fires nothing, as Micrometer's meters ignore it.
 */
class MirroredMeterProbesTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final MockClock clock = new MockClock();

    @Test
    void everyUpdateFiresItsProbeOnlyWhileTraced() throws Exception {
        Bpftrace.assumeAvailable();
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

            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::mirrored_probes:meter__counter"
                    + " { printf(\"counter %s %s %ld\\n\", str(arg0), str(arg1), arg2); }"
                    + " usdt::mirrored_probes:meter__timer { printf(\"timer %s %ld\\n\", str(arg0), arg2); }"
                    + " usdt::mirrored_probes:meter__summary { printf(\"summary %s %ld\\n\", str(arg0), arg2); }")) {
                awaitTraced(meterProbes.toArray(Probe[]::new));

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

                assertThat(bpftrace.awaitLines("counter .*", 1, TIMEOUT))
                        .containsExactly("counter orders.placed region=eu 2500");
                assertThat(bpftrace.awaitLines("timer .*", 6, TIMEOUT)).containsExactly(
                        "timer orders.latency 3000000", "timer orders.latency 5000000",
                        "timer orders.latency 7000000", "timer orders.latency 11000000",
                        "timer orders.latency 13000000", "timer orders.latency 17000");
                assertThat(bpftrace.awaitLines("summary .*", 2, TIMEOUT))
                        .containsExactly("summary orders.size 6000", "summary orders.size 1000");
                assertThat(bpftrace.stop()).filteredOn(line -> line.startsWith("timer"))
                        .as("no fire for a negative duration").hasSize(6);
            }
        }
    }
}
