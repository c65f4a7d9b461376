package io.github.dtraceprovider.spring.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The application's other registries, in which a mirroring registry's meter finds the meter it sends reads to. They
 * are asked for on every lookup, never at construction: they are beans that may not exist yet, and the composite that
 * gathers them depends on the registry that owns this.
 */
final class SiblingRegistries {

    private final Supplier<? extends Iterable<MeterRegistry>> registries;

    SiblingRegistries(Supplier<? extends Iterable<MeterRegistry>> registries) {
        this.registries = registries;
    }

    /**
     * The meter with this id (name and tags) and type in the first sibling registry that has one; null when none has
     * one yet or the registries cannot be had. Composites and meter-probe registries (the one that owns this
     * included) are skipped: their meters answer reads from a child, which may be this very meter.
     */
    <M extends Meter> M find(Meter.Id id, Class<M> type) {
        try {
            for (MeterRegistry registry : registries.get()) {
                if (registry instanceof CompositeMeterRegistry || registry instanceof DTraceMeterRegistry) {
                    continue;
                }
                for (Meter meter : registry.find(id.getName()).tags(id.getTagsAsIterable()).meters()) {
                    if (type.isInstance(meter) && meter.getId().equals(id)) {
                        return type.cast(meter);
                    }
                }
            }
        } catch (RuntimeException e) {
            // A registry bean that cannot be created yet, or one that fails: this read answers empty, the next looks
            // again. A read of a meter must not fail the application.
        }
        return null;
    }
}
