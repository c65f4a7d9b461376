package io.github.dtraceprovider.core.internal.backend;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Pointer;

/**
 * The buffers {@code Probe.isEnabled()} reads a probe's 16-bit semaphore through. They are direct buffers over native
 * memory, and so are the one a probe reads while it is not loaded and the one it reads while recorded, so that the
 * read only ever sees one buffer class.
 */
public final class Semaphores {

    /** What every probe that is not loaded reads: always zero. */
    public static final ByteBuffer NOT_LOADED = ByteBuffer.allocateDirect(Short.BYTES);
    /** What every probe of a provider reads while a recorder is attached ({@code Recorders}): always set. */
    public static final ByteBuffer ALWAYS_ON = ByteBuffer.allocateDirect(Short.BYTES).order(ByteOrder.nativeOrder())
            .putShort(0, (short) 1);

    private static final VarHandle SEMAPHORE =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    /*
     * On Java 17 the read below passes through a JDK method whose signature names ScopedMemoryAccess$Scope, a class
     * nothing loads in an application that uses no foreign memory until C1 happens to compile that method. C2 does
     * not inline a method whose signature names a class not loaded yet, so a caller compiled before then keeps each
     * semaphore read as two calls (seen with -XX:+PrintInlining in @Traced proxies). Loading it, without
     * initialising it, takes that race away. Java 25 has no such class and showed no such race.
     */
    static {
        try {
            Class.forName("jdk.internal.misc.ScopedMemoryAccess$Scope", false, null);
        } catch (ClassNotFoundException e) {
            // a JDK without it
        }
    }

    private Semaphores() {
    }

    /** The semaphore the native core handed out at {@code address}, or {@link #NOT_LOADED} for 0 (NULL). */
    public static ByteBuffer at(long address) {
        return address == 0 ? NOT_LOADED : new Pointer(address).getByteBuffer(0, Short.BYTES);
    }

    /** True while {@code semaphore} is set, read as {@code Probe.isEnabled()} reads it. */
    public static boolean isSet(ByteBuffer semaphore) {
        return (short) SEMAPHORE.getOpaque(semaphore, 0) != 0;
    }
}
