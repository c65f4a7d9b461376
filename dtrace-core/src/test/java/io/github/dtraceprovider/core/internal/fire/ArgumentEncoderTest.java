package io.github.dtraceprovider.core.internal.fire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.internal.backend.EncodedArguments;

import static io.github.dtraceprovider.core.ArgType.INT;
import static io.github.dtraceprovider.core.ArgType.JSON;
import static io.github.dtraceprovider.core.ArgType.STRING;
import static org.assertj.core.api.Assertions.assertThat;

/** Encodes values and writes their block into a buffer of the largest size, as a fire does, then reads it back. */
class ArgumentEncoderTest {

    private final ByteBuffer block = ByteBuffer.allocateDirect(EncodedArguments.MAX_BLOCK_BYTES)
            .order(ByteOrder.nativeOrder());
    private final long address = Pointer.nativeValue(Native.getDirectBufferPointer(block));

    private String encode(ArgType[] types, Object... values) {
        return encode(values, types, JsonEncoder.simple());
    }

    private String encode(Object[] values, ArgType[] types, JsonEncoder json) {
        EncodedArguments encoded = ArgumentEncoder.encode(values, types, json);
        assertThat(encoded.blockSize()).isLessThanOrEqualTo(EncodedArguments.MAX_BLOCK_BYTES);
        encoded.writeBlock(block, address);
        return encoded.problem();
    }

    private long slot(int index) {
        return block.getLong(index * 8);
    }

    /** The C string a string slot points at, or null for a NULL pointer. */
    private byte[] cString(int index) {
        long pointer = slot(index);
        if (pointer == 0) {
            return null;
        }
        ByteBuffer buffer = block;
        int offset = Math.toIntExact(pointer - address);
        assertThat(offset).isBetween(96, buffer.capacity() - 1);
        int end = offset;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        buffer.get(offset, bytes);
        return bytes;
    }

    private String string(int index) {
        byte[] bytes = cString(index);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void integersTakeNumbersBooleansAndCharacters() {
        ArgType[] types = new ArgType[12];
        Arrays.fill(types, INT);
        String problem = encode(types, 42, Long.MIN_VALUE, Long.MAX_VALUE, (byte) -1, (short) 7, -3.99,
                0.5f, 9.2e18, new java.math.BigDecimal("-9.9"), true, false, 'A');
        assertThat(problem).isNull();
        long[] slots = new long[12];
        for (int i = 0; i < 12; i++) {
            slots[i] = slot(i);
        }
        assertThat(slots).containsExactly(42, Long.MIN_VALUE, Long.MAX_VALUE, -1, 7, -3, 0, 9_200_000_000_000_000_000L,
                -9, 1, 0, 65);
    }

    @Test
    void numbersBeyondTheRangeAreClampedAndReported() {
        ArgType[] types = new ArgType[7];
        Arrays.fill(types, INT);
        String problem = encode(types, Double.NaN, 1e300, Float.NEGATIVE_INFINITY,
                new java.math.BigInteger("18446744073709551617"), new java.math.BigInteger("-18446744073709551617"),
                new java.math.BigDecimal("1e19"), new java.util.concurrent.atomic.AtomicLong(5));
        assertThat(problem).isEqualTo("argument 1 (int) got a java.lang.Double that is NaN; passed 0");
        long[] slots = new long[7];
        for (int i = 0; i < 7; i++) {
            slots[i] = slot(i);
        }
        assertThat(slots).containsExactly(0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MAX_VALUE, 5);
        assertThat(encode(new ArgType[] {INT}, new java.math.BigInteger("18446744073709551617"))).isEqualTo(
                "argument 1 (int) got a java.math.BigInteger beyond the 64-bit range; passed 9223372036854775807");
    }

    @Test
    void integerFromAnythingElseIsZeroAndReported() {
        String problem = encode(new ArgType[] {INT, INT, INT}, 1, "12", null);
        assertThat(slot(0)).isEqualTo(1);
        assertThat(slot(1)).isZero();
        assertThat(slot(2)).isZero();
        assertThat(problem).isEqualTo("argument 2 (int) got a java.lang.String; passed 0");
        assertThat(encode(new ArgType[] {INT}, (Object) null)).isEqualTo("argument 1 (int) got null; passed 0");
    }

    @Test
    void stringsAreNulTerminatedUtf8AtAbsoluteAddresses() {
        String problem = encode(new ArgType[] {STRING, INT, STRING, STRING},
                "héllo wörld ✓", 5, "", "😀");
        assertThat(problem).isNull();
        assertThat(cString(0)).containsExactly("héllo wörld ✓".getBytes(StandardCharsets.UTF_8));
        assertThat(slot(1)).isEqualTo(5);
        assertThat(cString(2)).isEmpty();
        assertThat(cString(3)).containsExactly(0xF0 - 256, 0x9F - 256, 0x98 - 256, 0x80 - 256);
        // strings follow the twelve slots back to back, each with its NUL
        int first = 96;
        assertThat(slot(0)).isEqualTo(address + first);
        int second = first + "héllo wörld ✓".getBytes(StandardCharsets.UTF_8).length + 1;
        assertThat(slot(2)).isEqualTo(address + second);
        assertThat(slot(3)).isEqualTo(address + second + 1);
        for (int i = 4; i < 12; i++) {
            assertThat(slot(i)).isZero();
        }
    }

    @Test
    void nullStringIsANullPointerWithoutComplaint() {
        assertThat(encode(new ArgType[] {STRING, STRING}, null, "x")).isNull();
        assertThat(slot(0)).isZero();
        assertThat(string(1)).isEqualTo("x");
    }

    @Test
    void otherObjectsBecomeTheirToString() {
        assertThat(encode(new ArgType[] {STRING, STRING, STRING}, 42, List.of(1, 2), 'c')).isNull();
        assertThat(string(0)).isEqualTo("42");
        assertThat(string(1)).isEqualTo("[1, 2]");
        assertThat(string(2)).isEqualTo("c");
    }

    @Test
    void throwingToStringIsNullAndReported() {
        Object bad = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        String problem = encode(new ArgType[] {STRING, STRING}, bad, "ok");
        assertThat(slot(0)).isZero();
        assertThat(string(1)).isEqualTo("ok");
        assertThat(problem).startsWith("argument 1 (char *) got a ")
                .contains(": toString() threw java.lang.IllegalStateException at "
                        + ArgumentEncoderTest.class.getName())
                .endsWith("; passed NULL").doesNotContain("boom");
    }

    @Test
    void loneSurrogatesBecomeQuestionMarks() {
        assertThat(encode(new ArgType[] {STRING}, "a\uD800b\uDC00c")).isNull();
        assertThat(string(0)).isEqualTo("a?b?c");
    }

    @Test
    void nulCharacterEndsTheCString() {
        assertThat(encode(new ArgType[] {STRING}, "before\0after")).isNull();
        assertThat(string(0)).isEqualTo("before");
    }

    @Test
    void longStringsAreCutTo4095BytesOnACharacterBoundary() {
        assertThat(encode(new ArgType[] {STRING}, "x".repeat(4095))).isNull();
        assertThat(cString(0)).hasSize(4095);

        assertThat(encode(new ArgType[] {STRING}, "x".repeat(1_000_000))).isNull();
        assertThat(cString(0)).hasSize(4095);

        // 'é' takes two bytes: 2047 of them are 4094 bytes, the 2048th would cross the limit
        assertThat(encode(new ArgType[] {STRING}, "é".repeat(3000))).isNull();
        assertThat(string(0)).isEqualTo("é".repeat(2047));

        // '✓' takes three bytes: 1365 of them are exactly 4095 bytes
        assertThat(encode(new ArgType[] {STRING}, "✓".repeat(2000))).isNull();
        assertThat(string(0)).isEqualTo("✓".repeat(1365));

        // a surrogate pair straddling the 4095th char is dropped whole, not split into '?'
        String pairAtCut = "x".repeat(4094) + "😀" + "tail";
        assertThat(encode(new ArgType[] {STRING}, pairAtCut)).isNull();
        assertThat(string(0)).isEqualTo("x".repeat(4094));

        String pairBeforeCut = "x".repeat(4091) + "😀" + "tail";
        assertThat(encode(new ArgType[] {STRING}, pairBeforeCut)).isNull();
        assertThat(string(0)).isEqualTo("x".repeat(4091) + "😀");
    }

    @Test
    void twelveLongestStringsFillTheLargestBlock() {
        ArgType[] types = new ArgType[12];
        Arrays.fill(types, STRING);
        Object[] values = new Object[12];
        for (int i = 0; i < 12; i++) {
            values[i] = String.valueOf((char) ('a' + i)).repeat(5000);
        }
        assertThat(ArgumentEncoder.encode(values, types, JsonEncoder.simple()).blockSize())
                .isEqualTo(EncodedArguments.MAX_BLOCK_BYTES);
        assertThat(encode(values, types, JsonEncoder.simple())).isNull();
        for (int i = 0; i < 12; i++) {
            assertThat(string(i)).isEqualTo(String.valueOf((char) ('a' + i)).repeat(4095));
        }
        // and a short one after them in the same block
        assertThat(encode(new ArgType[] {STRING}, "short")).isNull();
        assertThat(string(0)).isEqualTo("short");
        assertThat(slot(1)).isZero();
    }

    @Test
    void jsonUsesTheEncoder() {
        assertThat(encode(new ArgType[] {JSON, JSON, JSON}, Map.of("id", 7), null, List.of("a", true))).isNull();
        assertThat(string(0)).isEqualTo("{\"id\":7}");
        assertThat(string(1)).isEqualTo("null");
        assertThat(string(2)).isEqualTo("[\"a\",true]");
    }

    @Test
    void throwingJsonEncoderIsNullAndReported() {
        String problem = encode(new Object[] {1, "x"}, new ArgType[] {JSON, JSON}, value -> {
            if (value instanceof Integer) {
                throw new java.io.IOException("cannot");
            }
            return null;
        });
        assertThat(slot(0)).isZero();
        assertThat(slot(1)).isZero();
        assertThat(problem).startsWith("argument 1 (json) got a java.lang.Integer: the JSON encoder threw "
                + "java.io.IOException at " + ArgumentEncoderTest.class.getName()).endsWith("; passed NULL")
                .doesNotContain("cannot");
        assertThat(encode(new Object[] {"x"}, new ArgType[] {JSON}, value -> null))
                .isEqualTo("argument 1 (json) got a java.lang.String: the JSON encoder returned null; passed NULL");
    }

    @Test
    void stackOverflowInTheEncoderIsCaught() {
        JsonEncoder recursive = new JsonEncoder() {
            @Override
            public String encode(Object value) throws Exception {
                return encode(value) + "x";
            }
        };
        String problem = encode(new Object[] {1}, new ArgType[] {JSON}, recursive);
        assertThat(slot(0)).isZero();
        assertThat(problem).contains("java.lang.StackOverflowError");
    }

    @Test
    void tooFewValuesPassZeroAndNull() {
        String problem = encode(new ArgType[] {INT, STRING, INT, JSON}, 9);
        assertThat(slot(0)).isEqualTo(9);
        assertThat(slot(1)).isZero();
        assertThat(slot(2)).isZero();
        assertThat(slot(3)).isZero();
        assertThat(problem).isEqualTo(
                "the supplier returned 1 value(s) for 4 argument(s); the missing ones were passed as 0 or NULL");
    }

    @Test
    void tooManyValuesAreIgnored() {
        String problem = encode(new ArgType[] {INT}, 1, 2, 3);
        assertThat(slot(0)).isEqualTo(1);
        assertThat(slot(1)).isZero();
        assertThat(problem).isEqualTo(
                "the supplier returned 3 value(s) for 1 argument(s); the extra ones were ignored");
    }

    @Test
    void unusedSlotsAreClearedBetweenFires() {
        encode(new ArgType[] {INT, INT, INT}, 1, 2, 3);
        encode(new ArgType[] {INT}, 4);
        assertThat(slot(0)).isEqualTo(4);
        assertThat(slot(1)).isZero();
        assertThat(slot(2)).isZero();
    }
}
