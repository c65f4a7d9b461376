package io.github.dtraceprovider.core.internal.backend;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.ArgType;

/**
 * The backend where USDT probes cannot work (the native library did not load): the provider still validates
 * and keeps its definitions, but nothing is loaded, so no probe is ever traced and no fire goes anywhere.
 */
public final class InertBackend implements ProviderBackend {

    private static final System.Logger LOG = System.getLogger("io.github.dtraceprovider");
    private static final InertBackend INSTANCE = new InertBackend();
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private InertBackend() {
    }

    /** The one inert backend; the first call logs why providers are inert: {@code reason}. */
    public static InertBackend create(String reason) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "DTrace providers are inert in this process: " + reason);
        }
        return INSTANCE;
    }

    @Override
    public ProbeBackend define(String probe, String noteName, List<ArgType> types, Consumer<ByteBuffer> semaphore) {
        return InertProbe.INSTANCE;
    }

    @Override
    public void loadDefined(String probe) {
    }

    @Override
    public void enable() {
    }

    @Override
    public void disable() {
    }

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public void close() {
    }

    /** Every probe of an inert provider. */
    static final class InertProbe implements ProbeBackend {

        static final InertProbe INSTANCE = new InertProbe();

        private InertProbe() {
        }

        @Override
        public boolean pass(EncodedArguments arguments) {
            return false;
        }

        @Override
        public Path objectPath() {
            return null;
        }
    }
}
