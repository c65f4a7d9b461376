package io.github.dtraceprovider.spring.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/** Micrometer's cumulative distribution summary, which also fires {@code meter-summary} on every record. */
final class ProbedDistributionSummary extends CumulativeDistributionSummary {

    private final MeterProbes probes;
    private final MeterLabel label;

    ProbedDistributionSummary(Id id, Clock clock, DistributionStatisticConfig config, double scale,
            MeterProbes probes) {
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
