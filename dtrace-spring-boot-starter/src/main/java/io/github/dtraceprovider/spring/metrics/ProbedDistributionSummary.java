package io.github.dtraceprovider.spring.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * A distribution summary that fires {@code meter-summary} on every recorded amount, scaled as the summary's builder
 * asked; a negative amount is ignored, as Micrometer's summaries ignore it. Its reads go to the summary chosen at
 * construction by the registry's mode (see {@link DTraceMeterRegistry}): standalone, its own cumulative summary,
 * which every record also updates; mirroring, the sibling registry's summary with the same id, and it keeps no
 * values.
 */
final class ProbedDistributionSummary extends AbstractMeter implements DistributionSummary {

    private final double scale;
    private final MeterProbes probes;
    private final MeterLabel label;
    /** Null when mirroring: the amount reaches the sibling's summary through the composite, not through here. */
    private final DistributionSummary own;
    private final Supplier<DistributionSummary> reads;

    private ProbedDistributionSummary(Id id, double scale, MeterProbes probes, DistributionSummary own,
            Supplier<DistributionSummary> reads) {
        super(id);
        this.scale = scale;
        this.probes = probes;
        this.label = MeterLabel.of(id);
        this.own = own;
        this.reads = reads;
    }

    static ProbedDistributionSummary standalone(Id id, Clock clock, DistributionStatisticConfig config, double scale,
            MeterProbes probes) {
        DistributionSummary own = new CumulativeDistributionSummary(id, clock, config, scale, false);
        return new ProbedDistributionSummary(id, scale, probes, own, () -> own);
    }

    static ProbedDistributionSummary mirroring(Id id, Clock clock, double scale, MeterProbes probes,
            SiblingRegistries siblings) {
        DistributionSummary empty = new CumulativeDistributionSummary(id, clock, DistributionStatisticConfig.DEFAULT,
                scale, false);
        SiblingMeter<DistributionSummary> sibling = new SiblingMeter<>(siblings, id, DistributionSummary.class,
                empty);
        return new ProbedDistributionSummary(id, scale, probes, null, sibling::get);
    }

    @Override
    public void record(double amount) {
        if (own != null) {
            own.record(amount);
        }
        if (amount >= 0) {
            probes.summarized(label, scale * amount);
        }
    }

    @Override
    public long count() {
        return reads.get().count();
    }

    @Override
    public double totalAmount() {
        return reads.get().totalAmount();
    }

    @Override
    public double mean() {
        return reads.get().mean();
    }

    @Override
    public double max() {
        return reads.get().max();
    }

    @Override
    public double histogramCountAtValue(long value) {
        return reads.get().histogramCountAtValue(value);
    }

    @Override
    public double percentile(double percentile) {
        return reads.get().percentile(percentile);
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
        return reads.get().takeSnapshot();
    }

    @Override
    public Iterable<Measurement> measure() {
        return reads.get().measure();
    }
}
