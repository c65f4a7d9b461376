package io.github.dtraceprovider.test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.internal.backend.EncodedArguments;

/**
 * Reads a fire's values back from its argument block, the bytes the native probe passes to a tracer: one 64-bit slot
 * per argument, an integer or the address of a NUL-terminated string. The block is written here as for the native
 * call, but into the heap at address 0, so that a string's address is its offset in the block (never 0: the slots
 * come first) and a NULL pointer stays 0.
 */
final class ArgumentBlockReader {

    private ArgumentBlockReader() {
    }

    /** One value per declared type: Long for {@code int}, String or null for {@code char *} and {@code json}. */
    static List<Object> read(EncodedArguments arguments, List<ArgType> types) {
        ByteBuffer block = ByteBuffer.allocate(arguments.blockSize()).order(ByteOrder.nativeOrder());
        arguments.writeBlock(block, 0);
        Object[] values = new Object[types.size()];
        for (int i = 0; i < values.length; i++) {
            long slot = block.getLong(i * Long.BYTES);
            values[i] = types.get(i) == ArgType.INT ? (Object) slot : slot == 0 ? null : string(block, (int) slot);
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /** The C string at {@code offset}: up to its first NUL, as a tracer's {@code str()} reads it. */
    private static String string(ByteBuffer block, int offset) {
        int end = offset;
        while (block.get(end) != 0) {
            end++;
        }
        return new String(block.array(), offset, end - offset, StandardCharsets.UTF_8);
    }
}
