package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.internal.definition.Names;
import io.github.dtraceprovider.core.internal.fire.Warnings;

import static io.github.dtraceprovider.core.internal.definition.Messages.quote;

/** The probes of one provider, found by name in either spelling; lookups are lock-free, for fires by name. */
final class ProbeTable {

    /** Unknown probe names are logged once each, but a buggy caller must not make this set grow forever. */
    private static final int MAX_UNKNOWN_NAMES_LOGGED = 32;

    private final String provider;
    /** Guarded by itself. */
    private final List<Probe> probes = new ArrayList<>();
    /** By note name, so that either spelling of a name finds its probe. */
    private final Map<String, Probe> byNoteName = new ConcurrentHashMap<>();
    private final Set<String> unknownNamesLogged = ConcurrentHashMap.newKeySet();

    ProbeTable(String provider) {
        this.provider = provider;
    }

    /** @throws IllegalArgumentException if a probe has this note name already, in either spelling */
    void checkFree(String name, String noteName) {
        Probe existing = byNoteName.get(noteName);
        if (existing != null) {
            throw new IllegalArgumentException(existing.name().equals(name)
                    ? "Probe " + quote(name) + " already exists in provider " + quote(provider)
                    : "Probe " + quote(name) + " and probe " + quote(existing.name()) + " of provider "
                            + quote(provider) + " have the same SDT note name " + quote(noteName)
                            + " (each '-' is written '__'); rename one of them");
        }
    }

    void add(Probe probe) {
        synchronized (probes) {
            probes.add(probe);
        }
        byNoteName.put(probe.noteName(), probe);
    }

    /** The probe of this name, in either spelling; null for a null or unknown name. */
    Probe find(String name) {
        return name == null ? null : byNoteName.get(Names.noteName(name));
    }

    /** @throws IllegalArgumentException naming the known probes if there is no such probe */
    Probe get(String name) {
        Probe probe = find(name);
        if (probe == null) {
            List<Probe> known = all();
            throw new IllegalArgumentException("No probe " + quote(name) + " in provider " + quote(provider)
                    + (known.isEmpty() ? "; it has no probes"
                            : "; known probes: " + known.stream().map(Probe::name).collect(Collectors.joining(", "))));
        }
        return probe;
    }

    /** In definition order. */
    List<Probe> all() {
        synchronized (probes) {
            return List.copyOf(probes);
        }
    }

    /** One per object file, in the order the probes were defined. */
    List<Path> objectPaths() {
        Set<Path> paths = new LinkedHashSet<>();
        for (Probe probe : all()) {
            probe.objectPath().ifPresent(paths::add);
        }
        return List.copyOf(paths);
    }

    /** Logs, once per name, a fire of a name that has no probe. Never throws. */
    void warnUnknown(String name) {
        try {
            if (unknownNamesLogged.size() < MAX_UNKNOWN_NAMES_LOGGED
                    && unknownNamesLogged.add(String.valueOf(name))) {
                Warnings.warn("DTrace provider " + quote(provider) + ": fire() for unknown probe "
                        + (name == null ? "null" : quote(name)) + " ignored");
            }
        } catch (Throwable ignored) {
            // fire() never throws, even when describing the name fails
        }
    }
}
