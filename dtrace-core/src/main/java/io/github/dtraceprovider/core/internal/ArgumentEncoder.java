package io.github.dtraceprovider.core.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.JsonEncoder;

/**
 * Turns the values a supplier returned into the argument block that {@code dtp_probe_fire} reads:
 * {@value #SLOTS} 64-bit slots in native byte order, followed by the bytes of the strings, whose slots hold
 * their absolute addresses. One encoder per thread, so fires need no lock; its direct buffer grows on demand.
 *
 * <p>Coercion never throws. Each value is converted to its declared type; whatever does not fit is passed
 * as 0 or NULL, and {@link #encode} reports the first such problem so that the caller can count and log it.
 * Strings are UTF-8 (a lone surrogate becomes {@code '?'}), end in NUL, and are cut to at most
 * {@value #MAX_STRING_BYTES} bytes on a character boundary. A NUL character inside a string ends the C
 * string there: a tracer sees only what comes before it.
 */
public final class ArgumentEncoder {

    public static final int SLOTS = Declarations.MAX_ARGS;
    public static final int MAX_STRING_BYTES = 4095;

    private static final int SLOTS_BYTES = SLOTS * Long.BYTES;
    private static final ThreadLocal<ArgumentEncoder> PER_THREAD = ThreadLocal.withInitial(ArgumentEncoder::new);

    private ByteBuffer buffer;
    private long address;

    ArgumentEncoder() {
        allocate(SLOTS_BYTES + 256);
    }

    public static ArgumentEncoder forCurrentThread() {
        return PER_THREAD.get();
    }

    /** Address of the argument block, valid until the next {@link #encode} on this encoder. */
    public long address() {
        return address;
    }

    /** The argument block, for tests. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Encodes {@code values} as {@code types} into the argument block.
     *
     * <p>All user code (toString, the JSON encoder) runs before the block is touched, so a probe fired from
     * inside that code on this same thread cannot corrupt it.
     *
     * @return null, or a one-line description of the first value that had to be replaced or dropped
     */
    public String encode(Object[] values, ArgType[] types, JsonEncoder json) {
        String problem = null;
        if (values.length < types.length) {
            problem = "the supplier returned " + values.length + " value(s) for " + types.length
                    + " argument(s); the missing ones were passed as 0 or NULL";
        } else if (values.length > types.length) {
            problem = "the supplier returned " + values.length + " value(s) for " + types.length
                    + " argument(s); the extra ones were ignored";
        }
        long[] ints = new long[types.length];
        byte[][] strings = new byte[types.length][];
        for (int i = 0, n = Math.min(types.length, values.length); i < n; i++) {
            Object value = values[i];
            String valueProblem = switch (types[i]) {
                case INT -> {
                    Long converted = toLong(value);
                    ints[i] = converted == null ? 0 : converted;
                    yield converted == null ? describe(i, types[i], value) + "; passed 0" : null;
                }
                case STRING -> {
                    try {
                        strings[i] = value == null ? null : utf8(value instanceof String s ? s : String.valueOf(value));
                        yield null;
                    } catch (Throwable t) {
                        yield describe(i, types[i], value) + ": toString() threw " + t + "; passed NULL";
                    }
                }
                case JSON -> {
                    try {
                        String encoded = value == null ? "null" : json.encode(value);
                        strings[i] = encoded == null ? null : utf8(encoded);
                        yield encoded == null
                                ? describe(i, types[i], value) + ": the JSON encoder returned null; passed NULL"
                                : null;
                    } catch (Throwable t) {
                        yield describe(i, types[i], value) + ": the JSON encoder threw " + t + "; passed NULL";
                    }
                }
            };
            if (problem == null) {
                problem = valueProblem;
            }
        }
        write(ints, strings);
        return problem;
    }

    private void write(long[] ints, byte[][] strings) {
        int needed = SLOTS_BYTES;
        for (byte[] string : strings) {
            if (string != null) {
                needed += string.length + 1;
            }
        }
        if (needed > buffer.capacity()) {
            allocate(Math.max(needed, buffer.capacity() * 2));
        }
        int offset = SLOTS_BYTES;
        for (int i = 0; i < SLOTS; i++) {
            long slot = 0;
            if (i < ints.length) {
                byte[] string = strings[i];
                if (string != null) {
                    buffer.put(offset, string).put(offset + string.length, (byte) 0);
                    slot = address + offset;
                    offset += string.length + 1;
                } else {
                    slot = ints[i];
                }
            }
            buffer.putLong(i * Long.BYTES, slot);
        }
    }

    private void allocate(int capacity) {
        buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /** An integer argument: numbers (doubles truncated toward zero, NaN as 0), booleans as 0/1, chars as code. */
    static Long toLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1L : 0L;
        }
        if (value instanceof Character c) {
            return (long) c;
        }
        return null;
    }

    /**
     * UTF-8 bytes of {@code s}, without the NUL, at most {@value #MAX_STRING_BYTES} bytes, cut on a
     * character boundary.
     */
    static byte[] utf8(String s) {
        // Every char takes at least one byte, so cutting by chars first bounds the work for huge strings.
        if (s.length() > MAX_STRING_BYTES) {
            int end = MAX_STRING_BYTES;
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
            s = s.substring(0, end);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_STRING_BYTES) {
            return bytes;
        }
        int end = MAX_STRING_BYTES;
        while ((bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }

    private static String describe(int index, ArgType type, Object value) {
        return "argument " + (index + 1) + " (" + type.declaration() + ") got "
                + (value == null ? "null" : "a " + value.getClass().getName());
    }
}
