package io.github.dtraceprovider.spring.metrics;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

/**
 * A distribution summary that keeps no values: a recorded amount, scaled as the summary's builder asked, only fires
 * {@code meter-summary} while it is traced, and every read answers from the sibling registry's summary with the same
 * id (see {@link DTraceMeterRegistry}). A negative amount is ignored, as Micrometer's summaries ignore it.
 */
final class MirroredDistributionSummary extends AbstractMeter implements DistributionSummary {

    private final double scale;
    private final MeterProbes probes;
    private final MeterLabel label;
    private final SiblingMeter<DistributionSummary> sibling;

    MirroredDistributionSummary(Id id, Clock clock, double scale, MeterProbes probes, SiblingRegistries siblings) {
        super(id);
        this.scale = scale;
        this.probes = probes;
        this.label = MeterLabel.of(id);
        DistributionSummary empty = new CumulativeDistributionSummary(id, clock, DistributionStatisticConfig.DEFAULT,
                scale, false);
        this.sibling = new SiblingMeter<>(siblings, id, DistributionSummary.class, empty);
    }

    @Override
    public void record(double amount) {
        if (amount >= 0) {
            probes.summarized(label, scale * amount);
        }
    }

    @Override
    public long count() {
        return sibling.get().count();
    }

    @Override
    public double totalAmount() {
        return sibling.get().totalAmount();
    }

    @Override
    public double mean() {
        return sibling.get().mean();
    }

    @Override
    public double max() {
        return sibling.get().max();
    }

    @Override
    public double histogramCountAtValue(long value) {
        return sibling.get().histogramCountAtValue(value);
    }

    @Override
    public double percentile(double percentile) {
        return sibling.get().percentile(percentile);
    }

    @Override
    public HistogramSnapshot takeSnapshot() {
        return sibling.get().takeSnapshot();
    }

    @Override
    public Iterable<Measurement> measure() {
        return sibling.get().measure();
    }
}
