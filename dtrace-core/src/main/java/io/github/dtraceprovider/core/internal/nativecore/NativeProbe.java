package io.github.dtraceprovider.core.internal.nativecore;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.internal.backend.EncodedArguments;
import io.github.dtraceprovider.core.internal.backend.ProbeBackend;
import io.github.dtraceprovider.core.internal.backend.Semaphores;

/** A probe of a {@link NativeProvider}. */
final class NativeProbe implements ProbeBackend {

    /** Held so that the native provider, and with it this native probe, lives while this object does. */
    private final ProviderHandle provider;
    private final Consumer<ByteBuffer> semaphore;
    /** The native dtp_probe, 0 after close(): then a fire never reaches native code. */
    private volatile long handle;
    private volatile Path objectPath;
    /** Guarded by the provider. */
    private boolean loaded;

    NativeProbe(ProviderHandle provider, long handle, Consumer<ByteBuffer> semaphore) {
        this.provider = provider;
        this.handle = handle;
        this.semaphore = semaphore;
    }

    @Override
    public boolean pass(EncodedArguments arguments) {
        try {
            long probe = handle;
            if (probe == 0) {
                return false;
            }
            ArgumentBlocks.callProbe(probe, arguments);
            return true;
        } finally {
            // The native probe is freed only once this object is unreachable (see ProviderHandle): keep it
            // reachable until the native call has returned.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Path objectPath() {
        return objectPath;
    }

    boolean isLoaded() {
        return loaded;
    }

    /** Points the probe at its semaphore and object after the native provider loaded it. */
    void bind() {
        long probe = handle;
        String path = NativeCore.dtp_probe_object_path(probe);
        objectPath = path == null ? null : Path.of(path);
        semaphore.accept(Semaphores.at(NativeCore.dtp_probe_semaphore(probe)));
        loaded = true;
    }

    /** Makes the probe inert before the native provider unloads it. */
    void unbind() {
        semaphore.accept(Semaphores.NOT_LOADED);
        objectPath = null;
        loaded = false;
    }

    /** Forgets the native probe: fires after this never reach native code. */
    void release() {
        handle = 0;
    }
}
