package io.github.dtraceprovider.spring.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;

/**
 * A counter that fires {@code meter-counter} on every increment. Its reads go to the counter chosen at construction
 * by the registry's mode (see {@link DTraceMeterRegistry}): standalone, its own cumulative counter, which every
 * increment also updates; mirroring, the sibling registry's counter with the same id, and it keeps no count.
 */
final class ProbedCounter extends AbstractMeter implements Counter {

    private final MeterProbes probes;
    private final MeterLabel label;
    /** Null when mirroring: the increment reaches the sibling's counter through the composite, not through here. */
    private final Counter own;
    private final Supplier<Counter> reads;

    private ProbedCounter(Id id, MeterProbes probes, Counter own, Supplier<Counter> reads) {
        super(id);
        this.probes = probes;
        this.label = MeterLabel.of(id);
        this.own = own;
        this.reads = reads;
    }

    static ProbedCounter standalone(Id id, MeterProbes probes) {
        Counter own = new CumulativeCounter(id);
        return new ProbedCounter(id, probes, own, () -> own);
    }

    static ProbedCounter mirroring(Id id, MeterProbes probes, SiblingRegistries siblings) {
        SiblingMeter<Counter> sibling = new SiblingMeter<>(siblings, id, Counter.class, new CumulativeCounter(id));
        return new ProbedCounter(id, probes, null, sibling::get);
    }

    @Override
    public void increment(double amount) {
        if (own != null) {
            own.increment(amount);
        }
        probes.counted(label, amount);
    }

    @Override
    public double count() {
        return reads.get().count();
    }

    @Override
    public Iterable<Measurement> measure() {
        return reads.get().measure();
    }
}
