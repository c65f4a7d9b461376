package io.github.dtraceprovider.core.internal.backend;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.ArgType;

/**
 * What a provider does with the probes it has validated: load them into native objects that tracers find
 * ({@code NativeProvider}), or nothing where USDT probes cannot work ({@code InertBackend}); {@code Backends} chooses,
 * once per provider. The provider serialises every call but a probe's {@link ProbeBackend#pass} and
 * {@link ProbeBackend#objectPath}.
 */
public interface ProviderBackend {

    /**
     * Defines a probe whose name and declarations are valid and not taken. {@code semaphore} receives the buffer the
     * probe reads from each time the probe is loaded or unloaded.
     *
     * @throws IllegalStateException if the probe cannot be defined; nothing is defined then
     */
    ProbeBackend define(String probe, String noteName, List<ArgType> types, Consumer<ByteBuffer> semaphore);

    /**
     * Loads the probe just defined if the provider is enabled, so that it is traceable at once.
     *
     * @throws IllegalStateException if it cannot be loaded; it stays defined
     */
    void loadDefined(String probe);

    /**
     * Loads every probe not loaded yet. Idempotent.
     *
     * @throws IllegalStateException if they cannot be loaded
     */
    void enable();

    /** Makes every probe inert at once and unloads them; {@link #enable()} works again. */
    void disable();

    boolean isEnabled();

    /** After {@link #disable()}: no later fire reaches native code. */
    void close();
}
