package io.github.dtraceprovider.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.internal.definition.Messages;
import io.github.dtraceprovider.core.internal.recording.Recorders;

/**
 * The open providers of this process, by name: provider names are unique per process, from the provider's creation
 * until it is closed. Each keeps its {@link Recorders} here, where dtrace-test finds them.
 */
public final class OpenProviders {

    private record Open(Object provider, Recorders<?> recorders) {
    }

    /** Guarded by itself. */
    private static final Map<String, Open> BY_NAME = new HashMap<>();

    private OpenProviders() {
    }

    /**
     * Creates a provider under {@code name}, with {@code recorders}, unless an open provider has the name: empty then,
     * and {@code create} does not run. Creations are serialised, so two threads cannot both take a name.
     */
    public static <T> Optional<T> open(String name, Recorders<?> recorders, Supplier<T> create) {
        synchronized (BY_NAME) {
            if (BY_NAME.containsKey(name)) {
                return Optional.empty();
            }
            T provider = create.get();
            BY_NAME.put(name, new Open(provider, recorders));
            return Optional.of(provider);
        }
    }

    /**
     * The recorders of {@code provider}, open under {@code name}.
     *
     * @throws IllegalStateException if it is closed
     */
    public static Recorders<?> recordersOf(Object provider, String name) {
        synchronized (BY_NAME) {
            Open open = BY_NAME.get(name);
            if (open == null || open.provider() != provider) {
                throw new IllegalStateException("DTrace provider " + Messages.quote(name)
                        + " is closed: it has nothing left to record");
            }
            return open.recorders();
        }
    }

    /** Frees the name of a provider that is closed. */
    public static void closed(String name, Object provider) {
        synchronized (BY_NAME) {
            Open open = BY_NAME.get(name);
            if (open != null && open.provider() == provider) {
                BY_NAME.remove(name);
            }
        }
    }
}
