package io.github.dtraceprovider.core.internal.fire;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.internal.backend.EncodedArguments;
import io.github.dtraceprovider.core.internal.definition.Messages;

/**
 * Turns the values a supplier returned into {@link EncodedArguments}: 64-bit integers, and strings as UTF-8 bytes.
 * All user code (toString, the JSON encoder) runs here, before any native memory is touched, so a probe fired from
 * inside that code cannot disturb the outer fire.
 *
 * <p>Coercion never throws. Each value is converted to its declared type; whatever does not fit is passed
 * as 0 or NULL (a number beyond the 64-bit range as the nearest bound), and the first such problem is reported
 * with the result so that the caller can count and log it.
 * Strings are UTF-8 (a lone surrogate becomes {@code '?'}), end in NUL, and are cut to at most
 * {@value EncodedArguments#MAX_STRING_BYTES} bytes on a character boundary. A NUL character inside a string ends the C
 * string there: a tracer sees only what comes before it.
 */
public final class ArgumentEncoder {

    private ArgumentEncoder() {
    }

    /** Encodes {@code values} as {@code types}; the result says which value, if any, had to be replaced or dropped. */
    public static EncodedArguments encode(Object[] values, ArgType[] types, JsonEncoder json) {
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
                    if (converted == null) {
                        yield describe(i, types[i], value) + "; passed 0";
                    }
                    yield outOfRange(value) ? describe(i, types[i], value)
                            + (isNaN(value) ? " that is NaN" : " beyond the 64-bit range") + "; passed " + converted
                            : null;
                }
                case STRING -> {
                    try {
                        strings[i] = value == null ? null : utf8(value instanceof String s ? s : String.valueOf(value));
                        yield null;
                    } catch (Throwable t) {
                        yield describe(i, types[i], value) + ": toString() threw " + Messages.describe(t)
                                + "; passed NULL";
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
                        yield describe(i, types[i], value) + ": the JSON encoder threw " + Messages.describe(t)
                                + "; passed NULL";
                    }
                }
            };
            if (problem == null) {
                problem = valueProblem;
            }
        }
        return new EncodedArguments(ints, strings, problem);
    }

    /**
     * An integer argument: numbers (fractions truncated toward zero, NaN as 0, beyond the 64-bit range the nearest
     * bound), booleans as 0/1, chars as code.
     */
    static Long toLong(Object value) {
        if (value instanceof BigInteger big) {
            return clamp(big);
        }
        if (value instanceof BigDecimal decimal) {
            return clamp(decimal.toBigInteger());
        }
        if (value instanceof Number number) {
            // Double and Float already clamp to the range and turn NaN into 0.
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

    private static long clamp(BigInteger big) {
        return big.bitLength() < Long.SIZE ? big.longValue() : big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** True for a number {@link #toLong} had to replace: NaN, or beyond the 64-bit range. */
    private static boolean outOfRange(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return !(d >= -0x1p63 && d < 0x1p63);
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() >= Long.SIZE;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toBigInteger().bitLength() >= Long.SIZE;
        }
        return false;
    }

    private static boolean isNaN(Object value) {
        return (value instanceof Double || value instanceof Float) && Double.isNaN(((Number) value).doubleValue());
    }

    /**
     * UTF-8 bytes of {@code s}, without the NUL, at most {@value EncodedArguments#MAX_STRING_BYTES} bytes, cut on a
     * character boundary.
     */
    static byte[] utf8(String s) {
        // Every char takes at least one byte, so cutting by chars first bounds the work for huge strings.
        if (s.length() > EncodedArguments.MAX_STRING_BYTES) {
            int end = EncodedArguments.MAX_STRING_BYTES;
            if (Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
                end--;
            }
            s = s.substring(0, end);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= EncodedArguments.MAX_STRING_BYTES) {
            return bytes;
        }
        int end = EncodedArguments.MAX_STRING_BYTES;
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
