package io.github.dtraceprovider.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;

/** Micrometer's cumulative timer, which also fires {@code meter-timer} on every recorded duration. */
final class ProbedTimer extends CumulativeTimer {

    private final MeterProbes probes;
    private final MeterLabel label;

    ProbedTimer(Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
            TimeUnit baseTimeUnit, MeterProbes probes) {
        super(id, clock, config, pauseDetector, baseTimeUnit, false);
        this.probes = probes;
        this.label = MeterLabel.of(id);
    }

    @Override
    protected void recordNonNegative(long amount, TimeUnit unit) {
        super.recordNonNegative(amount, unit);
        probes.timed(label, unit.toNanos(amount));
    }
}
