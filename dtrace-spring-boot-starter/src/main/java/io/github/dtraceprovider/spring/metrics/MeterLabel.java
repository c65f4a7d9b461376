package io.github.dtraceprovider.spring.metrics;

import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;

/**
 * The name and tags a meter probe reports, computed once per meter.
 *
 * @param tags {@code k1=v1,k2=v2} in Micrometer's order (sorted by key), {@code ""} without tags
 */
record MeterLabel(String name, String tags) {

    static MeterLabel of(Meter.Id id) {
        String tags = id.getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(","));
        return new MeterLabel(id.getName(), tags);
    }
}
