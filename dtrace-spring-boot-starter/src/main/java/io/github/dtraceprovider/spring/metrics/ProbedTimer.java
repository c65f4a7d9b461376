package io.github.dtraceprovider.spring.metrics;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;

/**
 * A timer that fires {@code meter-timer} on every recorded duration; it times code as Micrometer's timers do, with
 * the registry clock's monotonic time, and ignores a negative duration. Its reads go to the timer chosen at
 * construction by the registry's mode (see {@link DTraceMeterRegistry}): standalone, its own cumulative timer, which
 * every record also updates; mirroring, the sibling registry's timer with the same id, and it keeps no values. The
 * records a pause detector configured on a standalone registry adds to its own timer fire nothing: they are
 * Micrometer's compensation, not durations the application recorded.
 */
final class ProbedTimer extends AbstractMeter implements Timer {

    private final Clock clock;
    private final MeterProbes probes;
    private final MeterLabel label;
    /** Null when mirroring: the duration reaches the sibling's timer through the composite, not through here. */
    private final Timer own;
    private final Supplier<Timer> reads;

    private ProbedTimer(Id id, Clock clock, MeterProbes probes, Timer own, Supplier<Timer> reads) {
        super(id);
        this.clock = clock;
        this.probes = probes;
        this.label = MeterLabel.of(id);
        this.own = own;
        this.reads = reads;
    }

    static ProbedTimer standalone(Id id, Clock clock, DistributionStatisticConfig config,
            PauseDetector pauseDetector, TimeUnit baseTimeUnit, MeterProbes probes) {
        Timer own = new CumulativeTimer(id, clock, config, pauseDetector, baseTimeUnit, false);
        return new ProbedTimer(id, clock, probes, own, () -> own);
    }

    /** Its empty timer has no histogram and no pause detector: per-record work for values nobody reads here. */
    static ProbedTimer mirroring(Id id, Clock clock, TimeUnit baseTimeUnit, MeterProbes probes,
            SiblingRegistries siblings) {
        Timer empty = new CumulativeTimer(id, clock, DistributionStatisticConfig.DEFAULT, new NoPauseDetector(),
                baseTimeUnit, false);
        SiblingMeter<Timer> sibling = new SiblingMeter<>(siblings, id, Timer.class, empty);
        return new ProbedTimer(id, clock, probes, null, sibling::get);
    }

    @Override
    public void record(long amount, TimeUnit unit) {
        if (own != null) {
            own.record(amount, unit);
        }
        if (amount >= 0) {
            probes.timed(label, unit.toNanos(amount));
        }
    }

    @Override
    public <T> T record(Supplier<T> f) {
        long start = clock.monotonicTime();
        try {
            return f.get();
        } finally {
            recordSince(start);
        }
    }

    @Override
    public <T> T recordCallable(Callable<T> f) throws Exception {
        long start = clock.monotonicTime();
        try {
            return f.call();
        } finally {
            recordSince(start);
        }
    }

    @Override
    public void record(Runnable f) {
        long start = clock.monotonicTime();
        try {
            f.run();
        } finally {
            recordSince(start);
        }
    }

    private void recordSince(long start) {
        record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
    }

    @Override
    public long count() {
        return reads.get().count();
    }

    @Override
    public double totalTime(TimeUnit unit) {
        return reads.get().totalTime(unit);
    }

    @Override
    public double mean(TimeUnit unit) {
        return reads.get().mean(unit);
    }

    @Override
    public double max(TimeUnit unit) {
        return reads.get().max(unit);
    }

    @Override
    public double histogramCountAtValue(long valueNanos) {
        return reads.get().histogramCountAtValue(valueNanos);
    }

    @Override
    public double percentile(double percentile, TimeUnit unit) {
        return reads.get().percentile(percentile, unit);
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
        return reads.get().takeSnapshot();
    }

    @Override
    public TimeUnit baseTimeUnit() {
        return reads.get().baseTimeUnit();
    }

    @Override
    public Iterable<Measurement> measure() {
        return reads.get().measure();
    }

    /** Stops what its own timer runs for its histogram and pause detector; a sibling's timer is not this one's. */
    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
