package io.github.dtraceprovider.core.internal.backend;

import java.nio.ByteBuffer;

import io.github.dtraceprovider.core.internal.definition.NativeLimits;

/**
 * The values of one fire, coerced by {@code ArgumentEncoder}, and how they are laid out in native memory for
 * {@code dtp_probe_fire}: one 64-bit slot per argument the native core can pass ({@link NativeLimits#DTP_MAX_ARGS}),
 * whatever the probe declares, in native byte order, followed by the bytes of the strings, each with its NUL, whose
 * slots hold their absolute addresses.
 */
public final class EncodedArguments {

    /** The most bytes of a string argument, without its NUL. */
    public static final int MAX_STRING_BYTES = 4095;
    static final int SLOTS = NativeLimits.DTP_MAX_ARGS;
    static final int SLOTS_BYTES = SLOTS * Long.BYTES;
    /** The largest block: every slot a string of the most bytes, each with its NUL. */
    public static final int MAX_BLOCK_BYTES = SLOTS_BYTES + SLOTS * (MAX_STRING_BYTES + 1);

    private final long[] ints;
    private final byte[][] strings;
    private final String problem;

    public EncodedArguments(long[] ints, byte[][] strings, String problem) {
        this.ints = ints;
        this.strings = strings;
        this.problem = problem;
    }

    /** Null, or a one-line description of the first value that had to be replaced or dropped. */
    public String problem() {
        return problem;
    }

    /** Bytes the block takes, at most {@link #MAX_BLOCK_BYTES}. */
    public int blockSize() {
        int size = SLOTS_BYTES;
        for (byte[] string : strings) {
            if (string != null) {
                size += string.length + 1;
            }
        }
        return size;
    }

    /**
     * Writes the block at the start of {@code block}, a buffer of at least {@link #blockSize()} bytes in native byte
     * order over the native memory at {@code address}. Unused slots are written as 0.
     */
    public void writeBlock(ByteBuffer block, long address) {
        int offset = SLOTS_BYTES;
        for (int i = 0; i < SLOTS; i++) {
            long slot = 0;
            if (i < ints.length) {
                byte[] string = strings[i];
                if (string != null) {
                    block.put(offset, string).put(offset + string.length, (byte) 0);
                    slot = address + offset;
                    offset += string.length + 1;
                } else {
                    slot = ints[i];
                }
            }
            block.putLong(i * Long.BYTES, slot);
        }
    }
}
