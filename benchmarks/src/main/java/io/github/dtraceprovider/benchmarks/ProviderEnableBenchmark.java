package io.github.dtraceprovider.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
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
 * {@code enable()} of a provider with 10, 100 and 1000 probes (BENCHMARKS.md row 6): building the object, writing
 * the file and mapping it. Each call gets a fresh provider, because a second {@code enable()} has nothing to load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 20)
@Measurement(iterations = 50)
public class ProviderEnableBenchmark {

    @Param({"10", "100", "1000"})
    public int probes;

    private DTraceProvider provider;

    @Setup(Level.Invocation)
    public void defineProbes() {
        provider = DTraceProvider.create("bench_enable");
        for (int i = 0; i < probes; i++) {
            provider.addProbe("probe" + i, "int id", "char * path");
        }
    }

    @TearDown(Level.Invocation)
    public void close() {
        provider.close();
    }

    @Benchmark
    public DTraceProvider enable() {
        provider.enable();
        return provider;
    }
}
