package io.github.dtraceprovider.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.internal.definition.Messages;
import io.github.dtraceprovider.core.internal.recording.Recorders;

/**
 * The open providers of this process, by name: provider names are unique per process, from the provider's creation
 * until it is closed, also across copies of this library loaded by different class loaders of one JVM (two web
 * applications in one servlet container, each bundling dtrace-core). Two providers of one name would each get an
 * object, and a tracer naming the provider would see the fires of one only. Each provider keeps its
 * {@link Recorders} here, where dtrace-test finds them.
 *
 * <p>Each copy keeps its own providers; a name is also claimed where every class loader of the JVM looks, in the
 * system properties: key {@code io.github.dtraceprovider.provider.NAME}, value a random id of the copy that holds it,
 * removed when the provider closes. So {@code jcmd PID VM.system_properties} lists the JVM's open providers. The prefix
 * does not start with {@code dtrace.}: Spring Boot binds such system properties to the starter's settings.
 */
public final class OpenProviders {

    private static final String CLAIM_PREFIX = "io.github.dtraceprovider.provider.";
    /** Tells this copy's claims from another copy's. */
    private static final String COPY_ID = UUID.randomUUID().toString();

    private record Open(Object provider, Recorders<?> recorders) {
    }

    /** Guarded by itself. */
    private static final Map<String, Open> BY_NAME = new HashMap<>();

    private OpenProviders() {
    }

    /**
     * Creates a provider under {@code name}, with {@code recorders}, unless an open provider of any copy has the name:
     * empty then, and {@code create} does not run. Creations are serialised, so two threads cannot both take a name;
     * across copies, the claim is one atomic putIfAbsent.
     */
    public static <T> Optional<T> open(String name, Recorders<?> recorders, Supplier<T> create) {
        synchronized (BY_NAME) {
            if (BY_NAME.containsKey(name) || System.getProperties().putIfAbsent(CLAIM_PREFIX + name, COPY_ID) != null) {
                return Optional.empty();
            }
            T provider;
            try {
                provider = create.get();
            } catch (RuntimeException | Error e) {
                System.getProperties().remove(CLAIM_PREFIX + name, COPY_ID);
                throw e;
            }
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
                System.getProperties().remove(CLAIM_PREFIX + name, COPY_ID);
            }
        }
    }
}
