package io.github.dtraceprovider.core.internal.nativecore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.github.dtraceprovider.core.internal.backend.EncodedArguments;

/**
 * The native memory that traced fires pass their arguments in: a few blocks of the largest size a fire needs,
 * allocated once, when the first provider is enabled, and shared by every thread. A fire takes a free block, writes
 * its arguments, makes the native call and puts the block back, all without a lock and without waiting; no user code
 * runs meanwhile, so the blocks in use at once are bounded by the threads that are running, not by the threads that
 * exist. Nothing is kept per thread: a virtual thread allocates nothing, and a pooled thread holds no reference to
 * this library after a fire.
 *
 * <p>Should every block be in use (more threads preempted inside a fire than there are blocks), the fire uses a block
 * of its own, taken with malloc and freed right after: slower, but the tracer still sees the fire, and malloc neither
 * waits for a garbage collection nor counts against the JVM's direct memory limit.
 */
public final class ArgumentBlocks {

    private static final int BLOCK_BYTES = EncodedArguments.MAX_BLOCK_BYTES;
    private static final int COUNT = Math.max(4, Math.min(32, 2 * Runtime.getRuntime().availableProcessors()));
    /** Slot i holds block i while it is free, null while a fire uses it. */
    private static final AtomicReferenceArray<Block> FREE = allocateBlocks();

    private ArgumentBlocks() {
    }

    /** A block of native memory and a buffer over it. */
    static final class Block {

        final int slot;
        final ByteBuffer buffer;
        final long address;

        Block(int slot, ByteBuffer buffer, long address) {
            this.slot = slot;
            this.buffer = buffer;
            this.address = address;
        }
    }

    /** Allocates the blocks if that has not happened yet: called by enable(), so that no fire ever allocates them. */
    public static void allocate() {
        // loading this class allocated them
    }

    /** Passes {@code arguments} to the native probe {@code probe}. */
    public static void callProbe(long probe, EncodedArguments arguments) {
        Block block = take();
        if (block == null) {
            callProbeWithOwnBlock(probe, arguments);
            return;
        }
        try {
            arguments.writeBlock(block.buffer, block.address);
            NativeFire.dtpProbeFire(probe, block.address);
        } finally {
            give(block);
        }
    }

    /** A free block, or null when all are in use. Threads start looking at different slots. */
    static Block take() {
        int start = (int) (Thread.currentThread().getId() % COUNT);
        for (int i = 0; i < COUNT; i++) {
            int slot = (start + i) % COUNT;
            if (FREE.get(slot) != null) {
                Block block = FREE.getAndSet(slot, null);
                if (block != null) {
                    return block;
                }
            }
        }
        return null;
    }

    /** Puts back a block that {@link #take()} returned. */
    static void give(Block block) {
        FREE.set(block.slot, block);
    }

    private static void callProbeWithOwnBlock(long probe, EncodedArguments arguments) {
        int size = arguments.blockSize();
        long address = Native.malloc(size);
        if (address == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") failed for the arguments of a fire");
        }
        try {
            ByteBuffer block = new Pointer(address).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
            arguments.writeBlock(block, address);
            NativeFire.dtpProbeFire(probe, address);
        } finally {
            Native.free(address);
        }
    }

    private static AtomicReferenceArray<Block> allocateBlocks() {
        AtomicReferenceArray<Block> free = new AtomicReferenceArray<>(COUNT);
        ByteBuffer all;
        try {
            all = ByteBuffer.allocateDirect(COUNT * BLOCK_BYTES);
        } catch (OutOfMemoryError noDirectMemory) {
            // every fire then uses a block of its own
            return free;
        }
        long base = Pointer.nativeValue(Native.getDirectBufferPointer(all));
        for (int slot = 0; slot < COUNT; slot++) {
            ByteBuffer buffer = all.slice(slot * BLOCK_BYTES, BLOCK_BYTES).order(ByteOrder.nativeOrder());
            free.set(slot, new Block(slot, buffer, base + (long) slot * BLOCK_BYTES));
        }
        return free;
    }
}
