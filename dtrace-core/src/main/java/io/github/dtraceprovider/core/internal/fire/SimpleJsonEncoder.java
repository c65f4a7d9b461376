package io.github.dtraceprovider.core.internal.fire;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.internal.backend.EncodedArguments;

/**
 * The encoder behind {@code JsonEncoder.simple()}: compact JSON with no dependencies.
 *
 * <p>A probe passes at most {@value EncodedArguments#MAX_STRING_BYTES} bytes of a string, so the encoder stops
 * writing once its output is longer than that many characters: what the tracer sees is the same, a huge collection
 * costs no more than a small one, and a value that never ends (an endless {@code Iterable}) ends here.
 */
public final class SimpleJsonEncoder {

    /** Containers nested deeper than this are cut, which also ends every cycle. */
    static final int MAX_DEPTH = 32;
    /** Characters are at least one UTF-8 byte each: beyond this many the argument is cut anyway. */
    static final int MAX_CHARS = EncodedArguments.MAX_STRING_BYTES;

    private static final String CUT = "\"...\"";
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SimpleJsonEncoder() {
    }

    /** The JSON text of {@code value}; a {@code toString()} it calls may throw. */
    public static String encode(Object value) {
        StringBuilder json = new StringBuilder();
        write(json, value, 1);
        return json.toString();
    }

    private static void write(StringBuilder json, Object value, int depth) {
        if (isFull(json)) {
            return;
        }
        if (value == null) {
            json.append("null");
        } else if (value instanceof CharSequence || value instanceof Character) {
            string(json, value.toString());
        } else if (value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof Number number) {
            number(json, number);
        } else if (value instanceof Enum<?> constant) {
            string(json, constant.name());
        } else if (depth > MAX_DEPTH) {
            json.append(CUT);
        } else if (value instanceof Optional<?> optional) {
            write(json, optional.orElse(null), depth + 1);
        } else if (value instanceof OptionalInt optional) {
            write(json, optional.isPresent() ? optional.getAsInt() : null, depth);
        } else if (value instanceof OptionalLong optional) {
            write(json, optional.isPresent() ? optional.getAsLong() : null, depth);
        } else if (value instanceof OptionalDouble optional) {
            write(json, optional.isPresent() ? optional.getAsDouble() : null, depth);
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            boolean first = true;
            for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext() && !isFull(json); ) {
                Map.Entry<?, ?> entry = it.next();
                first = separator(json, first);
                string(json, String.valueOf(entry.getKey()));
                json.append(':');
                write(json, entry.getValue(), depth + 1);
            }
            json.append('}');
        } else if (value instanceof Iterable<?> iterable) {
            json.append('[');
            boolean first = true;
            for (Iterator<?> it = iterable.iterator(); it.hasNext() && !isFull(json); ) {
                first = separator(json, first);
                write(json, it.next(), depth + 1);
            }
            json.append(']');
        } else if (value.getClass().isArray()) {
            json.append('[');
            for (int i = 0, n = Array.getLength(value); i < n && !isFull(json); i++) {
                separator(json, i == 0);
                write(json, Array.get(value, i), depth + 1);
            }
            json.append(']');
        } else if (value instanceof Record) {
            record(json, value, depth);
        } else {
            string(json, value.toString());
        }
    }

    private static void record(StringBuilder json, Object record, int depth) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                var accessor = components[i].getAccessor();
                // A record declared private or in a non-exported package is still worth showing field by field.
                accessor.setAccessible(true);
                values[i] = accessor.invoke(record);
            }
        } catch (ReflectiveOperationException | RuntimeException inaccessible) {
            string(json, record.toString());
            return;
        }
        json.append('{');
        for (int i = 0; i < components.length && !isFull(json); i++) {
            separator(json, i == 0);
            string(json, components[i].getName());
            json.append(':');
            write(json, values[i], depth + 1);
        }
        json.append('}');
    }

    private static boolean isFull(StringBuilder json) {
        return json.length() > MAX_CHARS;
    }

    private static boolean separator(StringBuilder json, boolean first) {
        if (!first) {
            json.append(',');
        }
        return false;
    }

    private static void number(StringBuilder json, Number number) {
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            // JSON has no NaN or infinity; JavaScript's JSON.stringify writes null for them too.
            json.append(Double.isFinite(d) ? number.toString() : "null");
        } else if (number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte || number instanceof BigInteger) {
            json.append(number);
        } else if (number instanceof BigDecimal decimal) {
            json.append(decimal.toString());
        } else {
            // AtomicLong, LongAdder, ... print as numbers; an unknown Number whose text is not one becomes a string.
            String text = number.toString();
            if (JSON_NUMBER.matcher(text).matches()) {
                json.append(text);
            } else {
                string(json, text);
            }
        }
    }

    static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0, n = s.length(); i < n && !isFull(json); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(s, i)) {
                        // A lone surrogate cannot be written as UTF-8; as an escape the JSON stays valid and exact.
                        json.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
