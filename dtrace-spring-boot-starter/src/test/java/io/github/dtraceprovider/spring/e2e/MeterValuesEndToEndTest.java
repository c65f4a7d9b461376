package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.spring.metrics.DTraceMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application code and {@code GET /actuator/metrics/{name}} read the same values back from a counter, a timer and a
 * distribution summary the application recorded, with the starter's meter probes and without them
 * ({@code dtrace.enabled=false}): in both, exactly the values recorded. With the probes, Boot's composite holds the
 * starter's registry, whose meters keep no values, beside the simple one; a composite answers reads from whichever
 * child comes first by identity hash, and the metrics endpoint from the first child registry that has the meter, so
 * the test also reads from each child: whichever is first, the reads are right.
 */
class MeterValuesEndToEndTest {

    /** What every read must answer after {@link ReadBack#record}: timer values in seconds. */
    private static final Map<String, Double> RECORDED = Map.of(
            "meters.e2e.orders COUNT", 3.0,
            "meters.e2e.latency COUNT", 3.0,
            "meters.e2e.latency TOTAL_TIME", 0.06,
            "meters.e2e.latency MAX", 0.03,
            "meters.e2e.size COUNT", 2.0,
            "meters.e2e.size TOTAL", 12.0,
            "meters.e2e.size MAX", 7.0);

    @Nested
    @SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
            "spring.main.web-application-type=servlet",
            "dtrace.provider=meters_e2e",
            "management.endpoints.web.exposure.include=metrics" })
    class WithMeterProbes extends ReadBack {

        @Test
        void applicationAndActuatorReadTheRecordedValues() {
            recordAndReadBack();
            assertThat(registry).isInstanceOf(CompositeMeterRegistry.class);
            var children = ((CompositeMeterRegistry) registry).getRegistries();
            assertThat(children).hasSize(2).hasAtLeastOneElementOfType(DTraceMeterRegistry.class)
                    .hasAtLeastOneElementOfType(SimpleMeterRegistry.class);
            children.forEach(child -> assertThat(readThrough(child)).as(child.getClass().getSimpleName())
                    .isEqualTo(RECORDED));
        }
    }

    @Nested
    @SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
            "spring.main.web-application-type=servlet",
            "dtrace.enabled=false",
            "dtrace.provider=meters_off_e2e",
            "management.endpoints.web.exposure.include=metrics" })
    class WithoutMeterProbes extends ReadBack {

        @Test
        void applicationAndActuatorReadTheRecordedValues() {
            recordAndReadBack();
            assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
        }
    }

    /** The test body both applications run. */
    abstract static class ReadBack {

        @LocalServerPort
        int port;

        @Autowired
        MeterRegistry registry;

        void recordAndReadBack() {
            record();
            assertThat(readThrough(registry)).as("read through the injected registry").isEqualTo(RECORDED);
            assertThat(readFromActuator()).as("read from /actuator/metrics").isEqualTo(RECORDED);
        }

        /** What application code does with its meters. */
        private void record() {
            Counter orders = Counter.builder("meters.e2e.orders").tag("kind", "e2e").register(registry);
            orders.increment();
            orders.increment(2);
            Timer latency = Timer.builder("meters.e2e.latency").register(registry);
            latency.record(Duration.ofMillis(10));
            latency.record(20, TimeUnit.MILLISECONDS);
            latency.record(Duration.ofMillis(30));
            DistributionSummary size = DistributionSummary.builder("meters.e2e.size").register(registry);
            size.record(5);
            size.record(7);
        }

        static Map<String, Double> readThrough(MeterRegistry registry) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("meters.e2e.orders COUNT", registry.get("meters.e2e.orders").counter().count());
            Timer latency = registry.get("meters.e2e.latency").timer();
            values.put("meters.e2e.latency COUNT", (double) latency.count());
            values.put("meters.e2e.latency TOTAL_TIME", latency.totalTime(TimeUnit.SECONDS));
            values.put("meters.e2e.latency MAX", latency.max(TimeUnit.SECONDS));
            DistributionSummary size = registry.get("meters.e2e.size").summary();
            values.put("meters.e2e.size COUNT", (double) size.count());
            values.put("meters.e2e.size TOTAL", size.totalAmount());
            values.put("meters.e2e.size MAX", size.max());
            return values;
        }

        private Map<String, Double> readFromActuator() {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : new String[] { "meters.e2e.orders", "meters.e2e.latency", "meters.e2e.size" }) {
                var response = HttpRequests.get(port, "/actuator/metrics/" + name);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode metric = JsonMapper.shared().readTree(response.body());
                metric.get("measurements").forEach(measurement -> values.put(
                        name + " " + measurement.get("statistic").asString(), measurement.get("value").asDouble()));
            }
            return values;
        }
    }
}
