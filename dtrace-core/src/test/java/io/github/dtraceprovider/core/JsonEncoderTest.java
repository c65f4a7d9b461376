package io.github.dtraceprovider.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonEncoderTest {

    private final JsonEncoder json = JsonEncoder.simple();

    enum Status { OPEN, CLOSED }

    record Line(String sku, int quantity) {
    }

    private record Order(long id, List<Line> lines, Status status, Optional<String> note) {
    }

    private String encode(Object value) throws Exception {
        return json.encode(value);
    }

    @Test
    void scalars() throws Exception {
        assertThat(encode(null)).isEqualTo("null");
        assertThat(encode("text")).isEqualTo("\"text\"");
        assertThat(encode('c')).isEqualTo("\"c\"");
        assertThat(encode(true)).isEqualTo("true");
        assertThat(encode(42)).isEqualTo("42");
        assertThat(encode(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
        assertThat(encode((byte) -3)).isEqualTo("-3");
        assertThat(encode(1.5)).isEqualTo("1.5");
        assertThat(encode(1.5f)).isEqualTo("1.5");
        assertThat(encode(1e20)).isEqualTo("1.0E20");
        assertThat(encode(Double.NaN)).isEqualTo("null");
        assertThat(encode(Double.POSITIVE_INFINITY)).isEqualTo("null");
        assertThat(encode(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(encode(new BigDecimal("1.50"))).isEqualTo("1.50");
        assertThat(encode(new AtomicLong(7))).isEqualTo("7");
        assertThat(encode(Status.OPEN)).isEqualTo("\"OPEN\"");
        assertThat(encode(Duration.ofSeconds(90))).isEqualTo("\"PT1M30S\"");
        assertThat(encode(new StringBuilder("sb"))).isEqualTo("\"sb\"");
    }

    @Test
    void escapesStrings() throws Exception {
        assertThat(encode("quote\" backslash\\ slash/ newline\n tab\t cr\r bs\b ff\f nul\0 esc\u001b"))
                .isEqualTo("\"quote\\\" backslash\\\\ slash/ newline\\n tab\\t cr\\r bs\\b ff\\f nul\\u0000 esc\\u001b\"");
        assertThat(encode("héllo ✓ 😀")).isEqualTo("\"héllo ✓ 😀\"");
        assertThat(encode("lone \uD800 and \uDC00")).isEqualTo("\"lone \\ud800 and \\udc00\"");
    }

    @Test
    void containers() throws Exception {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put(2, List.of("x", false));
        map.put(null, null);
        map.put("nested", Map.of("k", new int[] {1, 2}));
        assertThat(encode(map)).isEqualTo("{\"a\":1,\"2\":[\"x\",false],\"null\":null,\"nested\":{\"k\":[1,2]}}");
        assertThat(encode(List.of())).isEqualTo("[]");
        assertThat(encode(Map.of())).isEqualTo("{}");
        assertThat(encode(new String[] {"a", null})).isEqualTo("[\"a\",null]");
        assertThat(encode(new double[] {0.5, Double.NaN})).isEqualTo("[0.5,null]");
        assertThat(encode(new char[] {'h', 'i'})).isEqualTo("[\"h\",\"i\"]");
        assertThat(encode(new java.util.TreeSet<>(List.of(3, 1, 2)))).isEqualTo("[1,2,3]");
    }

    @Test
    void recordsAndOptionals() throws Exception {
        Order order = new Order(7, List.of(new Line("A-1", 2)), Status.CLOSED, Optional.empty());
        assertThat(encode(order)).isEqualTo(
                "{\"id\":7,\"lines\":[{\"sku\":\"A-1\",\"quantity\":2}],\"status\":\"CLOSED\",\"note\":null}");
        assertThat(encode(Optional.of("x"))).isEqualTo("\"x\"");
        assertThat(encode(OptionalInt.of(3))).isEqualTo("3");
        assertThat(encode(OptionalInt.empty())).isEqualTo("null");
    }

    @Test
    void otherObjectsAreTheirToStringAsAString() throws Exception {
        Object custom = new Object() {
            @Override
            public String toString() {
                return "custom \"thing\"";
            }
        };
        assertThat(encode(custom)).isEqualTo("\"custom \\\"thing\\\"\"");
    }

    @Test
    void deepNestingIsCutAt32Levels() throws Exception {
        Object value = "bottom";
        for (int i = 0; i < 40; i++) {
            value = List.of(value);
        }
        assertThat(encode(value)).isEqualTo("[".repeat(32) + "\"...\"" + "]".repeat(32));

        Object exactly32 = "bottom";
        for (int i = 0; i < 32; i++) {
            exactly32 = List.of(exactly32);
        }
        assertThat(encode(exactly32)).isEqualTo("[".repeat(32) + "\"bottom\"" + "]".repeat(32));
    }

    @Test
    void cyclesAreCutByTheDepthLimit() throws Exception {
        List<Object> cycle = new ArrayList<>();
        cycle.add(1);
        cycle.add(cycle);
        String encoded = encode(cycle);
        assertThat(encoded).isEqualTo("[1,".repeat(32) + "\"...\"" + "]".repeat(32));

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("self", map);
        assertThat(encode(map)).isEqualTo("{\"self\":".repeat(32) + "\"...\"" + "}".repeat(32));

        Object[] array = new Object[1];
        array[0] = array;
        assertThat(encode(array)).isEqualTo("[".repeat(32) + "\"...\"" + "]".repeat(32));
    }
}
