package io.github.dtraceprovider.spring.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;

/**
 * Micrometer's cumulative meters, which also fire their probe on every update. They keep their values like any
 * meter, so the registry stays a working registry should it be the application's only one.
 */
final class ProbedMeters {

    private ProbedMeters() {
    }

    static final class Counter extends CumulativeCounter {

        private final MeterProbes probes;
        private final MeterLabel label;

        Counter(Id id, MeterProbes probes) {
            super(id);
            this.probes = probes;
            this.label = MeterLabel.of(id);
        }

        @Override
        public void increment(double amount) {
            super.increment(amount);
            probes.counted(label, amount);
        }
    }

    static final class Timer extends CumulativeTimer {

        private final MeterProbes probes;
        private final MeterLabel label;

        Timer(Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
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

    static final class DistributionSummary extends CumulativeDistributionSummary {

        private final MeterProbes probes;
        private final MeterLabel label;

        DistributionSummary(Id id, Clock clock, DistributionStatisticConfig config, double scale, MeterProbes probes) {
            super(id, clock, config, scale, false);
            this.probes = probes;
            this.label = MeterLabel.of(id);
        }

        @Override
        protected void recordNonNegative(double amount) {
            super.recordNonNegative(amount);
            probes.summarized(label, amount);
        }
    }
}
