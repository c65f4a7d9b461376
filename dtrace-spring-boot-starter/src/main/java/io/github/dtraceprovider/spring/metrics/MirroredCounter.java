package io.github.dtraceprovider.spring.metrics;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.cumulative.CumulativeCounter;

/**
 * A counter that keeps no count: an increment only fires {@code meter-counter} while it is traced, and every read
 * answers from the sibling registry's counter with the same id (see {@link DTraceMeterRegistry}).
 */
final class MirroredCounter extends AbstractMeter implements Counter {

    private final MeterProbes probes;
    private final MeterLabel label;
    private final SiblingMeter<Counter> sibling;

    MirroredCounter(Id id, MeterProbes probes, SiblingRegistries siblings) {
        super(id);
        this.probes = probes;
        this.label = MeterLabel.of(id);
        this.sibling = new SiblingMeter<>(siblings, id, Counter.class, new CumulativeCounter(id));
    }

    @Override
    public void increment(double amount) {
        probes.counted(label, amount);
    }

    @Override
    public double count() {
        return sibling.get().count();
    }

    @Override
    public Iterable<Measurement> measure() {
        return sibling.get().measure();
    }
}
