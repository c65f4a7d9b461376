package io.github.dtraceprovider.spring.metrics;

import io.micrometer.core.instrument.Meter;

/**
 * Where a mirroring registry's meter sends its reads: the sibling registry's meter with the same id, looked up on
 * each read until one is found and then kept; until then an empty meter of the same kind.
 */
final class SiblingMeter<M extends Meter> {

    private final SiblingRegistries registries;
    private final Meter.Id id;
    private final Class<M> type;
    private final M empty;
    private volatile M found;

    SiblingMeter(SiblingRegistries registries, Meter.Id id, Class<M> type, M empty) {
        this.registries = registries;
        this.id = id;
        this.type = type;
        this.empty = empty;
    }

    M get() {
        M meter = found;
        if (meter == null) {
            meter = registries.find(id, type);
            if (meter == null) {
                return empty;
            }
            found = meter;
        }
        return meter;
    }
}
