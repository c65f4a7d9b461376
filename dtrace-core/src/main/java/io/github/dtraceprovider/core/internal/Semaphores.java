package io.github.dtraceprovider.core.internal;

import java.nio.ByteBuffer;

import com.sun.jna.Pointer;

/**
 * The buffers {@code Probe.isEnabled()} reads a probe's 16-bit semaphore through. They are direct buffers over native
 * memory, and so is the one a probe reads while it is not loaded, so that the read only ever sees one buffer class.
 */
public final class Semaphores {

    /** What every probe that is not loaded reads: always zero. */
    public static final ByteBuffer NOT_LOADED = ByteBuffer.allocateDirect(Short.BYTES);

    private Semaphores() {
    }

    /** The semaphore the native core handed out at {@code address}, or {@link #NOT_LOADED} for 0 (NULL). */
    static ByteBuffer at(long address) {
        return address == 0 ? NOT_LOADED : new Pointer(address).getByteBuffer(0, Short.BYTES);
    }
}
