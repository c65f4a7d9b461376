package io.github.dtraceprovider.core.internal.recording;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.internal.backend.EncodedArguments;
import io.github.dtraceprovider.core.internal.backend.Semaphores;

/**
 * One probe's part in its provider's {@link Recorders}: chooses the semaphore buffer the probe reads, and hands its
 * traced fires to the listeners. Unrecorded, the probe reads the buffer its backend gave it, as if this class were not
 * there; recorded, it reads {@link Semaphores#ALWAYS_ON}, so that {@code Probe.isEnabled()} stays one memory read
 * either way, while the backend's buffer (and any it gives meanwhile, on disable() and enable()) waits here to be put
 * back.
 */
public final class RecordedProbe<P> {

    private final P probe;
    /** Writes the buffer the probe reads. */
    private final Consumer<ByteBuffer> semaphore;
    /** The buffer the backend last gave; set while a tracer is attached. */
    private volatile ByteBuffer backendSemaphore = Semaphores.NOT_LOADED;
    private volatile FireListener<P>[] listeners = Recorders.none();

    /** For {@code probe}, whose semaphore field {@code semaphore} writes. */
    public RecordedProbe(P probe, Consumer<ByteBuffer> semaphore) {
        this.probe = probe;
        this.semaphore = semaphore;
    }

    /** The backend's semaphore consumer: the probe was loaded or unloaded. */
    public synchronized void bind(ByteBuffer buffer) {
        backendSemaphore = buffer;
        if (listeners.length == 0) {
            semaphore.accept(buffer);
        }
    }

    /** Called by {@link Recorders} with the listeners now attached. */
    synchronized void listen(FireListener<P>[] updated) {
        listeners = updated;
        semaphore.accept(updated.length == 0 ? backendSemaphore : Semaphores.ALWAYS_ON);
    }

    /**
     * Hands a traced fire to the listeners. True if it goes to the backend too: always when unrecorded (the probe was
     * enabled by a tracer), else only while a tracer is attached, so that a fire only a recorder saw never reaches
     * native code and {@code Probe.fireCount()} keeps its meaning.
     */
    public boolean record(EncodedArguments arguments) {
        FireListener<P>[] current = listeners;
        if (current.length == 0) {
            return true;
        }
        for (FireListener<P> listener : current) {
            listener.fired(probe, arguments);
        }
        return Semaphores.isSet(backendSemaphore);
    }
}
