package io.github.dtraceprovider.spring.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.PerfProbes;
import io.github.dtraceprovider.testing.PerfRecord;
import io.github.dtraceprovider.testing.Tools;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * perf adds every probe of the starter's provider by its note name, the way the docs say ({@code perf probe -x OBJ -a
 * 'sdt_PROVIDER:*'}), and {@code perf script} shows the values of an HTTP request, a {@code @Traced} call and meter
 * updates.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.probes.order-placed=int orderId,char * customer,json order",
        "dtrace.metrics.gauge-interval=100ms" })
class PerfEndToEndTest {

    /**
     * The events are in a group of the test's own ({@link PerfProbes}), so they keep clear of a user's
     * {@code sdt_...:order__placed} whatever the provider is named; the pid only keeps this run's object apart.
     */
    private static final String PROVIDER = "perf_e2e" + PID;

    @DynamicPropertySource
    static void providerName(DynamicPropertyRegistry registry) {
        registry.add("dtrace.provider", () -> PROVIDER);
    }

    @TempDir
    Path dir;

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Autowired
    MeterRegistry meterRegistry;

    @Test
    void perfReadsEveryProbeOfTheStarter() throws Exception {
        PerfProbes.assumeAvailable();
        AtomicInteger queueSize = meterRegistry.gauge("perf.queue", Tags.of("queue", "orders"), new AtomicInteger(42));
        try (PerfProbes events = PerfProbes.add(provider.objectPaths().get(0), PROVIDER, "*")) {
            assertThat(events.definitions()).as("perf adds every probe of the object").hasSize(provider.probes().size());
            Tools.Result script;
            try (PerfRecord record = PerfRecord.start(dir, PID, events.allEvents())) {
                for (Probe probe : provider.probes()) {
                    awaitTraced(probe);
                }
                assertThat(HttpRequests.get(port, "/greetings/ada").body()).isEqualTo("hello ada");
                meterRegistry.counter("perf.counter", "k", "v").increment(2.5);
                meterRegistry.timer("perf.timer").record(Duration.ofMillis(3));
                meterRegistry.summary("perf.summary").record(1.5);
                provider.fire("order-placed", () -> new Object[] {7, "ada", List.of(1, 2)});
                Thread.sleep(1000); // several gauge samples at 100 ms
                record.stop();
                script = record.script();
            }
            List<String> lines = script.stdoutLines();
            String event = " " + events.group() + ":";
            assertThat(lines).as(script.describe())
                    .anyMatch(line -> line.matches(".*" + event + "http__request__start: \\(\\p{XDigit}+\\) arg1=(\\d+)"
                            + " arg2=\"GET\" arg3=\"/greetings/ada\" arg4=\"(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)\""
                            + " arg5=\"\" arg6=\"\""))
                    .anyMatch(line -> line.matches(".*" + event + "http__request__done: \\(\\p{XDigit}+\\) arg1=\\d+"
                            + " arg2=\"GET\" arg3=\"/greetings/ada\" arg4=\"/greetings/\\{name}\" arg5=200 arg6=[1-9]\\d*"))
                    .anyMatch(line -> line.matches(".*" + event + "method__entry: \\(\\p{XDigit}+\\)"
                            + " arg1=\"GreetingService\" arg2=\"greet\""))
                    .anyMatch(line -> line.matches(".*" + event + "method__return: \\(\\p{XDigit}+\\)"
                            + " arg1=\"GreetingService\" arg2=\"greet\" arg3=[1-9]\\d* arg4=\"\""))
                    .anyMatch(line -> line.matches(".*" + event + "meter__counter: \\(\\p{XDigit}+\\)"
                            + " arg1=\"perf.counter\" arg2=\"k=v\" arg3=2500"))
                    .anyMatch(line -> line.matches(".*" + event + "meter__timer: \\(\\p{XDigit}+\\)"
                            + " arg1=\"perf.timer\" arg2=\"\" arg3=3000000"))
                    .anyMatch(line -> line.matches(".*" + event + "meter__summary: \\(\\p{XDigit}+\\)"
                            + " arg1=\"perf.summary\" arg2=\"\" arg3=1500"))
                    .anyMatch(line -> line.matches(".*" + event + "meter__gauge: \\(\\p{XDigit}+\\)"
                            + " arg1=\"perf.queue\" arg2=\"queue=orders\" arg3=42000"))
                    .anyMatch(line -> line.matches(".*" + event + "order__placed: \\(\\p{XDigit}+\\)"
                            + " arg1=7 arg2=\"ada\" arg3=\"\\[1,2]\""));
        }
        assertThat(queueSize).hasValue(42);
    }
}
