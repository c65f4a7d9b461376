package io.github.dtraceprovider.spring.json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.dtraceprovider.core.JsonEncoder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bounded encoder writes, next to what the application's mapper writes on its own: the same JSON for values
 * that fit, with the application's settings; cut at 4095 characters and below 32 levels otherwise.
 */
class JacksonJsonEncoderTest {

    private final JsonMapper applicationMapper = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private final JacksonJsonEncoder encoder = new JacksonJsonEncoder(applicationMapper);

    record Order(int orderId, String customerName, List<String> lines, Optional<LocalDate> shipped) {
    }

    @Test
    void valuesThatFitAreWrittenAsTheApplicationsMapperWritesThem() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("order", new Order(7, "ada", List.of("tea", "milk"), Optional.empty()));
        map.put("numbers", new int[] {1, 2, 3});
        map.put("nothing", null);
        for (Object value : List.of(map, "text", 42, List.of(), new Order(1, "x\"y", List.of(), Optional.empty()))) {
            assertThat(encoder.encode(value)).isEqualTo(applicationMapper.writeValueAsString(value));
        }
        assertThat(encoder.encode(new Order(7, "ada", List.of(), Optional.empty())))
                .isEqualTo("{\"order_id\":7,\"customer_name\":\"ada\",\"lines\":[],\"shipped\":null}");
    }

    @Test
    void outputStopsAt4095Characters() {
        assertThat(encoder.encode("x".repeat(4093))).hasSize(4095).endsWith("x\"");
        assertThat(encoder.encode("x".repeat(1_000_000))).isEqualTo("\"" + "x".repeat(4094));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            words.add("word" + i);
        }
        String expected = applicationMapper.writeValueAsString(words).substring(0, 4095);
        assertThat(encoder.encode(words)).isEqualTo(expected);
        assertThat(encoder.encode(new long[1_000_000])).hasSize(4095).startsWith("[0,0,0");
    }

    @Test
    void containersBelow32LevelsAreCutAndScalarsAreNotAsByTheBuiltInEncoder() throws Exception {
        assertThat(encoder.encode(nested(31, 5))).isEqualTo("[".repeat(32) + "5" + "]".repeat(32));
        assertThat(encoder.encode(nested(32, 5))).isEqualTo("[".repeat(32) + "\"...\"" + "]".repeat(32));
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("me", self);
        assertThat(encoder.encode(self)).isEqualTo("{\"me\":".repeat(32) + "\"...\"" + "}".repeat(32));
        for (Object value : List.of(nested(31, 5), nested(32, 5), nested(40, "x"), self)) {
            assertThat(encoder.encode(value)).isEqualTo(JsonEncoder.simple().encode(value));
        }
    }

    /** {@code value} in a list in a list ..., {@code levels + 1} lists in all. */
    private static Object nested(int levels, Object value) {
        Object nested = List.of(value);
        for (int i = 0; i < levels; i++) {
            nested = List.of(nested);
        }
        return nested;
    }
}
