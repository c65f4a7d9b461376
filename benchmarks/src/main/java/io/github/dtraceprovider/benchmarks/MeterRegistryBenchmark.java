package io.github.dtraceprovider.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry;
import io.github.dtraceprovider.spring.metrics.MeterProbes;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Counter.increment()} and {@code Timer.record()} with the starter's registry untraced (BENCHMARKS.md row 4),
 * in the three shapes an application's meter registry can have:
 * <ul>
 * <li>{@code app}: the application's registry alone, which is what Spring Boot injects while it has a single registry
 * (it builds a composite only for two or more), so what an application without the starter records into;</li>
 * <li>{@code composite}: a composite holding only the application's registry, to tell the composite's own share;</li>
 * <li>{@code compositeWithDTrace}: the composite Spring Boot builds once the starter adds its registry, built as the
 * auto-configuration builds it beside another registry: mirroring the application's registry, so its meters keep no
 * values.</li>
 * <li>{@code compositeWithIdleChild}: the application's registry and a second child that denies every meter, so that
 * its meters are Micrometer's no-op ones: what being a second child costs, whatever the child does.</li>
 * </ul>
 * A {@link SimpleMeterRegistry} stands for the application's registry, as in a Boot application without an exporter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class MeterRegistryBenchmark {

    @Param({"app", "composite", "compositeWithDTrace", "compositeWithIdleChild"})
    public String registry;

    private DTraceProvider provider;
    private Counter counter;
    private Timer timer;

    @Setup(Level.Trial)
    public void createMeters() {
        MeterRegistry app = new SimpleMeterRegistry();
        MeterRegistry meters = switch (registry) {
            case "app" -> app;
            case "composite" -> new CompositeMeterRegistry(Clock.SYSTEM, List.of(app));
            case "compositeWithDTrace" -> {
                provider = DTraceProvider.create("bench_meters");
                MeterProbes probes = new MeterProbes(provider);
                provider.enable();
                MeterRegistry dtrace = new DTraceMeterRegistry(probes, Clock.SYSTEM, () -> List.of(app));
                yield new CompositeMeterRegistry(Clock.SYSTEM, List.of(app, dtrace));
            }
            case "compositeWithIdleChild" -> {
                MeterRegistry idle = new SimpleMeterRegistry();
                idle.config().meterFilter(MeterFilter.deny());
                yield new CompositeMeterRegistry(Clock.SYSTEM, List.of(app, idle));
            }
            default -> throw new IllegalArgumentException("unknown registry shape " + registry);
        };
        counter = meters.counter("orders.placed", "region", "eu");
        timer = meters.timer("orders.latency", "region", "eu");
    }

    @TearDown(Level.Trial)
    public void close() {
        if (provider != null) {
            provider.close();
        }
    }

    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    @Benchmark
    public void timerRecord() {
        timer.record(1_250_000, TimeUnit.NANOSECONDS);
    }
}
