package io.github.dtraceprovider.spring.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionCounter;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.internal.DefaultGauge;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;
import io.micrometer.core.instrument.internal.DefaultMeter;

/**
 * A Micrometer registry whose counters, timers and distribution summaries fire the {@link MeterProbes} on every
 * update. It sits beside the application's other registries: Spring Boot puts every MeterRegistry bean into its
 * composite registry, so every meter the application records reaches this one too. Gauges are read by
 * {@link GaugeSampler}; long task timers, function counters and function timers have no update to report and fire
 * nothing.
 *
 * <p>How its meters answer reads depends on the mode it is built in:
 * <ul>
 * <li><b>Mirroring</b> ({@link #DTraceMeterRegistry(MeterProbes, Clock, Supplier)}), beside other registries: its
 * counters, timers and summaries keep no values, so an update costs one probe check. Every read ({@code count()},
 * {@code totalTime()}, {@code max()}, {@code takeSnapshot()}, {@code measure()}, ...) answers from the meter with the
 * same id in a sibling registry, found on the first read that finds one and kept; until one exists, reads answer
 * what an empty meter would. This is what keeps the application's reads right: a composite answers every read from
 * whichever child comes first in its identity-keyed map, and the actuator's metrics endpoint reads from the first
 * child registry that has the meter, so either may be this registry.</li>
 * <li><b>Standalone</b> ({@link #DTraceMeterRegistry(MeterProbes, Clock)}), as the application's only registry: its
 * meters keep their values in Micrometer's cumulative ones and answer reads from them, so it is a working
 * registry.</li>
 * </ul>
 */
public class DTraceMeterRegistry extends MeterRegistry {

    private final MeterProbes probes;
    /** Null when standalone. */
    private final SiblingRegistries siblings;

    /** A standalone registry, whose meters keep their values. */
    public DTraceMeterRegistry(MeterProbes probes, Clock clock) {
        super(clock);
        this.probes = probes;
        this.siblings = null;
    }

    /**
     * A mirroring registry, whose meters keep no values and answer reads from the meters of {@code siblings}. The
     * supplier is called on reads only, never here; composites and meter-probe registries (this one included) among
     * what it returns are skipped.
     */
    public DTraceMeterRegistry(MeterProbes probes, Clock clock, Supplier<? extends Iterable<MeterRegistry>> siblings) {
        super(clock);
        this.probes = probes;
        this.siblings = new SiblingRegistries(siblings);
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
        if (siblings != null) {
            return ProbedCounter.mirroring(id, probes, siblings);
        }
        return ProbedCounter.standalone(id, probes);
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
            PauseDetector pauseDetector) {
        if (siblings != null) {
            return ProbedTimer.mirroring(id, clock, getBaseTimeUnit(), probes, siblings);
        }
        return ProbedTimer.standalone(id, clock, distributionStatisticConfig, pauseDetector, getBaseTimeUnit(),
                probes);
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id,
            DistributionStatisticConfig distributionStatisticConfig, double scale) {
        if (siblings != null) {
            return ProbedDistributionSummary.mirroring(id, clock, scale, probes, siblings);
        }
        return ProbedDistributionSummary.standalone(id, clock, distributionStatisticConfig, scale, probes);
    }

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
        return new DefaultGauge<>(id, obj, valueFunction);
    }

    @Override
    protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig) {
        return new DefaultLongTaskTimer(id, clock, getBaseTimeUnit(), distributionStatisticConfig, false);
    }

    @Override
    protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
            ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
        return new CumulativeFunctionTimer<>(id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit,
                getBaseTimeUnit());
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
        return new CumulativeFunctionCounter<>(id, obj, countFunction);
    }

    @Override
    protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
        return new DefaultMeter(id, type, measurements);
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.SECONDS;
    }

    @Override
    protected DistributionStatisticConfig defaultHistogramConfig() {
        return DistributionStatisticConfig.DEFAULT;
    }
}
