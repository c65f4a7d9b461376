package io.github.dtraceprovider.benchmarks;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of a probe nobody traces, next to an empty body and a JFR event
 * that is not recording: the bar the project sets itself (BENCHMARKS.md row 1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class UntracedProbeBenchmark {

    static final class UntracedEvent extends Event {
        long value;
    }

    private DTraceProvider provider;
    private Probe probe;
    private long counter;

    @Setup(Level.Trial)
    public void enable() {
        provider = DTraceProvider.create("bench_untraced");
        probe = provider.addProbe("request", "int id", "char * path");
        provider.enable();
    }

    @TearDown(Level.Trial)
    public void close() {
        provider.close();
    }

    @Benchmark
    public void baseline(Blackhole bh) {
        bh.consume(counter++);
    }

    @Benchmark
    public void jfrEventNotRecording(Blackhole bh) {
        UntracedEvent event = new UntracedEvent();
        if (event.isEnabled()) {
            event.value = counter;
            event.commit();
        }
        bh.consume(counter++);
    }

    @Benchmark
    public void probeIsEnabled(Blackhole bh) {
        if (probe.isEnabled()) {
            bh.consume(probe);
        }
        bh.consume(counter++);
    }

    @Benchmark
    public void probeFireWithSupplier(Blackhole bh) {
        long id = counter++;
        probe.fire(() -> new Object[] {id, "/orders/" + id});
        bh.consume(id);
    }
}
