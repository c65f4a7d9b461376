package io.github.dtraceprovider.spring.provider;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.dtraceprovider.core.Probe;

/**
 * Names of probes that a feature of the starter adds to the provider itself, so that {@code dtrace.probes} cannot
 * declare them. Each feature's auto-configuration contributes one bean of this type, whether or not the feature is
 * switched on, so that the same {@code dtrace.probes} are accepted or refused in every application; the provider's
 * auto-configuration collects them all.
 */
public final class ReservedProbeNames {

    private final Set<String> noteNames;

    public ReservedProbeNames(String... names) {
        this.noteNames = Stream.of(names).map(Probe::noteNameOf).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether {@code name}, in either spelling, is one of these. */
    public boolean contains(String name) {
        return name != null && noteNames.contains(Probe.noteNameOf(name));
    }
}
