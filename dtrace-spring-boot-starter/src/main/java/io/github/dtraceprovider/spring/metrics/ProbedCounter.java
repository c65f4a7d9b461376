package io.github.dtraceprovider.spring.metrics;

import io.micrometer.core.instrument.cumulative.CumulativeCounter;

/** Micrometer's cumulative counter, which also fires {@code meter-counter} on every increment. */
final class ProbedCounter extends CumulativeCounter {

    private final MeterProbes probes;
    private final MeterLabel label;

    ProbedCounter(Id id, MeterProbes probes) {
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
