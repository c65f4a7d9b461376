package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.testing.Bpftrace;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A Spring MVC application with the actuator, so Spring observes every request and the probes come from the
 * observation handler. What every probe of the starter fires is recorded ({@link ProbeRecorder}); which probes the
 * actuator says are traced needs bpftrace attached to this JVM.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=mvc_e2e",
        "dtrace.probes.greeted=char * name,int length",
        "dtrace.probes.order-placed=int orderId,char * customer,json order",
        "dtrace.probes.wide=int a,char * b,int c,int d,int e,int f,int g,char * h,int i,int j,int k,char * l",
        "dtrace.metrics.gauge-interval=100ms",
        "management.endpoints.web.exposure.include=dtrace" })
@ExtendWith(OutputCaptureExtension.class)
class MvcEndToEndTest extends HttpProbesEndToEndTest<ServletObservationProbeHandler> {

    @Autowired
    MeterRegistry meterRegistry;

    @Autowired
    GreetingService greetings;

    @Autowired
    MisconfiguredService misconfigured;

    @Test
    void tracedMethodsFireEntryAndReturn() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            greetings.greet("ada");
            assertThatIllegalStateException().isThrownBy(() -> greetings.fail("on purpose"));
            greetings.greetLater("ada").join();
            greetings.greetReactively("ada").block();
            greetings.greetEach("ada", "grace").blockLast();
            greetings.failReactively("on purpose").onErrorComplete().block();

            // An asynchronous result's return fires as it completes, which may be just after the caller has it.
            List<ProbeRecorder.Fire> returns = recorder.awaitFires("method-return", 6, TIMEOUT);
            assertThat(returns).extracting(exit -> exit.arg("methodName"), exit -> exit.arg("exception"))
                    .containsExactlyInAnyOrder(tuple("greet", ""), tuple("fail", "java.lang.IllegalStateException"),
                            tuple("greetLater", ""), tuple("greetReactively", ""), tuple("greetEach", ""),
                            tuple("failReactively", "java.lang.IllegalStateException"));
            assertThat(returns).allSatisfy(exit -> {
                assertThat(exit.arg("className")).isEqualTo("GreetingService");
                assertThat((Long) exit.arg("durationNanos")).as("durationNanos of " + exit).isPositive();
            });
            assertThat(recorder.fires("method-entry")).extracting(ProbeRecorder.Fire::args).containsExactly(
                    List.of("GreetingService", "greet"), List.of("GreetingService", "fail"),
                    List.of("GreetingService", "greetLater"), List.of("GreetingService", "greetReactively"),
                    List.of("GreetingService", "greetEach"), List.of("GreetingService", "failReactively"));
        }
    }

    @Test
    void tracedAnnotationFiresItsApplicationProbe() {
        greetings.greet("ada"); // called untraced first: traced later, its application probe alone must still fire
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            greetings.greet("grace");
            greetings.placeOrder(7, "ada");
            assertThat(recorder.fires("greeted")).extracting(ProbeRecorder.Fire::args)
                    .containsExactly(List.of("grace", 11L));
            assertThat(recorder.fires("order-placed")).extracting(ProbeRecorder.Fire::args)
                    .containsExactly(List.of(7L, "ada", "\"ada\""));
        }
    }

    @Test
    void mistakesInTracedAnnotationsNeverReachTheMethods(CapturedOutput output) {
        Probe greeted = provider.probe("greeted");
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            long failures = greeted.failureCount();
            assertThat(misconfigured.unknownProbe("a")).isEqualTo("a");
            assertThat(misconfigured.tooFewArguments("b")).isEqualTo("b");
            assertThat(misconfigured.failingExpression("c")).isEqualTo("c");
            assertThat(greeted.failureCount()).isEqualTo(failures + 1);
            assertThat(recorder.fires("greeted")).isEmpty();
        }
        assertThat(output).contains("@Traced on MisconfiguredService.unknownProbe names an unknown probe: "
                + "No probe \"no-such-probe\" in provider \"mvc_e2e\"")
                .contains("@Traced on MisconfiguredService.tooFewArguments gives 1 argument expressions [#name] but "
                        + "probe 'greeted' has 2 arguments [name, length]; the probe is not fired");
        // A failed fire is logged from dtrace-core's own warning thread, a moment later.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(output).contains("the argument supplier threw "
                + "io.github.dtraceprovider.spring.traced.ArgumentExpressionException \"@Traced on "
                + "MisconfiguredService.failingExpression argument '#result.noSuchMethod()' failed\" caused by "
                + "org.springframework.expression.spel.SpelEvaluationException at "));
    }

    @Test
    void yamlProbeFiresFromApplicationCode() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            provider.probe("order-placed").fire(() -> new Object[] {7, "ada", Map.of("items", 2)});
            assertThat(recorder.fires("order-placed")).extracting(ProbeRecorder.Fire::args)
                    .containsExactly(List.of(7L, "ada", "{\"items\":2}"));
        }
    }

    @Test
    void meterProbesFireOnEveryUpdate() {
        AtomicInteger queueSize = meterRegistry.gauge("test.queue", Tags.of("queue", "orders"), new AtomicInteger(42));
        Timer timer = meterRegistry.timer("test.timer", "k", "v");
        DistributionSummary summary = meterRegistry.summary("test.summary");
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            meterRegistry.counter("test.counter", "k2", "v2", "k1", "v1").increment(2.5);
            timer.record(Duration.ofMillis(3));
            summary.record(1.5);
            assertThat(firesOf(recorder, "meter-counter", "test.counter"))
                    .containsExactly(List.of("test.counter", "k1=v1,k2=v2", 2500L));
            assertThat(firesOf(recorder, "meter-timer", "test.timer"))
                    .containsExactly(List.of("test.timer", "k=v", 3_000_000L));
            assertThat(firesOf(recorder, "meter-summary", "test.summary"))
                    .containsExactly(List.of("test.summary", "", 1500L));
            // gauges are sampled on the sampler's thread, every dtrace.metrics.gauge-interval while traced
            List<List<Object>> gauges = await().atMost(TIMEOUT)
                    .until(() -> firesOf(recorder, "meter-gauge", "test.queue"), fires -> !fires.isEmpty());
            assertThat(gauges.get(0)).isEqualTo(List.of("test.queue", "queue=orders", 42000L));
        }
        assertThat(queueSize).hasValue(42);
    }

    /** The arguments of each fire of a meter probe for the meter named {@code meter}. */
    private static List<List<Object>> firesOf(ProbeRecorder recorder, String probe, String meter) {
        return recorder.fires(probe).stream().filter(fire -> meter.equals(fire.arg("name")))
                .map(ProbeRecorder.Fire::args).toList();
    }

    @Test
    void actuatorEndpointListsEveryProbeAndWhichOnesAreTraced() {
        Bpftrace.assumeAvailable();
        JsonMapper json = JsonMapper.shared();
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::mvc_e2e:order__placed { printf(\"%ld\\n\", arg0); }")) {
            awaitTraced(provider.probe("order-placed"));
            JsonNode provider = json.readTree(HttpRequests.get(port, "/actuator/dtrace").body());
            assertThat(provider.get("provider").asString()).isEqualTo("mvc_e2e");
            assertThat(provider.get("pid").asLong()).isEqualTo(PID);
            assertThat(provider.get("supported").asBoolean()).isTrue();
            assertThat(provider.get("objectPaths")).isNotEmpty();
            List<String> probes = provider.get("probes").valueStream().map(probe -> probe.get("name").asString())
                    .toList();
            assertThat(probes).containsExactlyInAnyOrder("greeted", "order-placed", "wide", "http-request-start",
                    "http-request-done", "method-entry", "method-return", "meter-counter", "meter-timer",
                    "meter-summary", "meter-gauge", "observation-start", "observation-stop");
            provider.get("probes").forEach(probe -> assertThat(probe.get("noteName").asString())
                    .isEqualTo(probe.get("name").asString().replace("-", "__")));
            provider.get("probes").forEach(probe -> assertThat(probe.get("traced").asBoolean())
                    .as(probe.get("name").asString()).isEqualTo(probe.get("name").asString().equals("order-placed")));

            String orderPlaced = HttpRequests.get(port, "/actuator/dtrace/order-placed").body();
            assertThat(HttpRequests.get(port, "/actuator/dtrace/order__placed").body())
                    .as("either spelling names the probe").isEqualTo(orderPlaced);
            JsonNode probe = json.readTree(orderPlaced);
            assertThat(probe.get("name").asString()).isEqualTo("order-placed");
            assertThat(probe.get("noteName").asString()).isEqualTo("order__placed");
            assertThat(probe.get("traced").asBoolean()).isTrue();
            assertThat(probe.get("arguments").toString()).isEqualTo("[{\"name\":\"orderId\",\"type\":\"int\"},"
                    + "{\"name\":\"customer\",\"type\":\"char *\"},{\"name\":\"order\",\"type\":\"json\"}]");
            assertThat(probe.get("bpftrace").asString()).isEqualTo("bpftrace -p " + PID + " -e 'usdt::mvc_e2e:"
                    + "order__placed { printf(\"order__placed orderId=%ld customer=%s order=%s\\n\", arg0, str(arg1), "
                    + "str(arg2)); }'");
            assertThat(probe.get("bpftraceFrom024").isNull()).as("six arguments or fewer: one command").isTrue();
        }
        assertThat(HttpRequests.get(port, "/actuator/dtrace/no-such-probe").statusCode()).isEqualTo(404);
    }

    @Test
    void actuatorGivesTwoCommandsForAProbeWithMoreThanSixArguments() {
        JsonNode wide = JsonMapper.shared().readTree(HttpRequests.get(port, "/actuator/dtrace/wide").body());
        String format = "wide a=%ld b=%s c=%ld d=%ld e=%ld f=%ld g=%ld h=%s i=%ld j=%ld k=%ld l=%s\\n";
        String registers = "arg0, str(arg1), arg2, arg3, arg4, arg5, ";
        assertThat(wide.get("bpftrace").asString()).as("for every bpftrace: arguments 7 to 12 from the stack")
                .isEqualTo("bpftrace -p " + PID + " -e 'usdt::mvc_e2e:wide { printf(\"" + format + "\", " + registers
                        + "*(int64*)(reg(\"sp\") + 8), str(*(uint64*)(reg(\"sp\") + 16)), *(int64*)(reg(\"sp\") + 24),"
                        + " *(int64*)(reg(\"sp\") + 32), *(int64*)(reg(\"sp\") + 40), str(*(uint64*)(reg(\"sp\") + 48)));"
                        + " }'");
        assertThat(wide.get("bpftraceFrom024").asString())
                .isEqualTo("bpftrace -p " + PID + " -e 'usdt::mvc_e2e:wide { printf(\"" + format + "\", " + registers
                        + "arg6, str(arg7), arg8, arg9, arg10, str(arg11)); }'");
    }
}
