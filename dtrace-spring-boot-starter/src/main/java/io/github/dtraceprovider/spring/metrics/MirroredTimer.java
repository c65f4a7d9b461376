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

/**
 * A timer that keeps no values: a recorded duration only fires {@code meter-timer} while it is traced, and every
 * read answers from the sibling registry's timer with the same id (see {@link DTraceMeterRegistry}). It times code
 * as Micrometer's timers do, with the registry clock's monotonic time, and ignores a negative duration. It has no
 * histogram and no pause detector: those would be per-record work for values nobody reads here.
 */
final class MirroredTimer extends AbstractMeter implements Timer {

    private final Clock clock;
    private final MeterProbes probes;
    private final MeterLabel label;
    private final SiblingMeter<Timer> sibling;

    MirroredTimer(Id id, Clock clock, TimeUnit baseTimeUnit, MeterProbes probes, SiblingRegistries siblings) {
        super(id);
        this.clock = clock;
        this.probes = probes;
        this.label = MeterLabel.of(id);
        Timer empty = new CumulativeTimer(id, clock, DistributionStatisticConfig.DEFAULT, new NoPauseDetector(),
                baseTimeUnit, false);
        this.sibling = new SiblingMeter<>(siblings, id, Timer.class, empty);
    }

    @Override
    public void record(long amount, TimeUnit unit) {
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
        return sibling.get().count();
    }

    @Override
    public double totalTime(TimeUnit unit) {
        return sibling.get().totalTime(unit);
    }

    @Override
    public double mean(TimeUnit unit) {
        return sibling.get().mean(unit);
    }

    @Override
    public double max(TimeUnit unit) {
        return sibling.get().max(unit);
    }

    @Override
    public double histogramCountAtValue(long valueNanos) {
        return sibling.get().histogramCountAtValue(valueNanos);
    }

    @Override
    public double percentile(double percentile, TimeUnit unit) {
        return sibling.get().percentile(percentile, unit);
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
        return sibling.get().takeSnapshot();
    }

    @Override
    public TimeUnit baseTimeUnit() {
        return sibling.get().baseTimeUnit();
    }

    @Override
    public Iterable<Measurement> measure() {
        return sibling.get().measure();
    }
}
