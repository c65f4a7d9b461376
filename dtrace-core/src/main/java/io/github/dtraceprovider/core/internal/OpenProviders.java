package io.github.dtraceprovider.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The open providers of this process, by name: provider names are unique per process, from the provider's creation
 * until it is closed.
 */
public final class OpenProviders {

    /** Guarded by itself. */
    private static final Map<String, Object> BY_NAME = new HashMap<>();

    private OpenProviders() {
    }

    /**
     * Creates a provider under {@code name} unless an open provider has it: empty then, and {@code create} does not
     * run. Creations are serialised, so two threads cannot both take a name.
     */
    public static <T> Optional<T> open(String name, Supplier<T> create) {
        synchronized (BY_NAME) {
            if (BY_NAME.containsKey(name)) {
                return Optional.empty();
            }
            T provider = create.get();
            BY_NAME.put(name, provider);
            return Optional.of(provider);
        }
    }

    /** Frees the name of a provider that is closed. */
    public static void closed(String name, Object provider) {
        synchronized (BY_NAME) {
            BY_NAME.remove(name, provider);
        }
    }
}
