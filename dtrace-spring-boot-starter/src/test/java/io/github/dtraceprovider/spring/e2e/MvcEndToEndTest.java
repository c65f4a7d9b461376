package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.http.servlet.ServletObservationProbeHandler;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
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

/**
 * A Spring MVC application with the actuator, so Spring observes every request and the probes come from the
 * observation handler; bpftrace attached to this JVM sees every probe of the starter.
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
        try (Bpftrace bpftrace = MethodProbeAssertions.attach(BpftraceBuild.SYSTEM, provider)) {
            MethodProbeAssertions.assertPlainAndFailingCalls(bpftrace, greetings);
            bpftrace.awaitLine("return GreetingService.greetLater [1-9]\\d* \\[\\]", TIMEOUT,
                    () -> greetings.greetLater("ada").join());
            bpftrace.awaitLine("return GreetingService.greetReactively [1-9]\\d* \\[\\]", TIMEOUT,
                    () -> greetings.greetReactively("ada").block());
            bpftrace.awaitLine("return GreetingService.greetEach [1-9]\\d* \\[\\]", TIMEOUT,
                    () -> greetings.greetEach("ada", "grace").blockLast());
            bpftrace.awaitLine("return GreetingService.failReactively [1-9]\\d* \\[java.lang.IllegalStateException\\]",
                    TIMEOUT, () -> greetings.failReactively("on purpose").onErrorComplete().block());
        }
    }

    @Test
    void tracedAnnotationFiresItsApplicationProbe() {
        Bpftrace.assumeAvailable();
        greetings.greet("ada"); // called untraced first: traced later, its application probe alone must still fire
        try (Bpftrace bpftrace = Bpftrace.attach(PID,
                "usdt::mvc_e2e:greeted { printf(\"greeted %s %ld\\n\", str(arg0), arg1); }")) {
            bpftrace.awaitLine("greeted grace 11", TIMEOUT, () -> greetings.greet("grace"));
        }
        try (Bpftrace bpftrace = Bpftrace.attach(PID,
                "usdt::mvc_e2e:order__placed { printf(\"placed %ld %s %s\\n\", arg0, str(arg1), str(arg2)); }")) {
            bpftrace.awaitLine("placed 7 ada \"ada\"", TIMEOUT, () -> greetings.placeOrder(7, "ada"));
        }
    }

    @Test
    void mistakesInTracedAnnotationsNeverReachTheMethods(CapturedOutput output) {
        Bpftrace.assumeAvailable();
        Probe greeted = provider.probe("greeted");
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::mvc_e2e:greeted { printf(\"%s\\n\", str(arg0)); }")) {
            awaitTraced(greeted);
            long failures = greeted.failureCount();
            assertThat(misconfigured.unknownProbe("a")).isEqualTo("a");
            assertThat(misconfigured.tooFewArguments("b")).isEqualTo("b");
            assertThat(misconfigured.failingExpression("c")).isEqualTo("c");
            assertThat(greeted.failureCount()).isEqualTo(failures + 1);
        }
        assertThat(output).contains("@Traced on MisconfiguredService.unknownProbe names an unknown probe: "
                + "No probe \"no-such-probe\" in provider \"mvc_e2e\"")
                .contains("@Traced on MisconfiguredService.tooFewArguments gives 1 argument expressions [#name] but "
                        + "probe 'greeted' has 2 arguments [name, length]; the probe is not fired")
                .contains("the argument supplier threw "
                        + "io.github.dtraceprovider.spring.traced.ArgumentExpressionException \"@Traced on "
                        + "MisconfiguredService.failingExpression argument '#result.noSuchMethod()' failed\" caused by "
                        + "org.springframework.expression.spel.SpelEvaluationException at ");
    }

    @Test
    void yamlProbeFiresFromApplicationCode() {
        Bpftrace.assumeAvailable();
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::mvc_e2e:order__placed "
                + "{ printf(\"order %ld %s %s\\n\", arg0, str(arg1), str(arg2)); }")) {
            bpftrace.awaitLine("order 7 ada \\{\"items\":2\\}", TIMEOUT, () -> provider.probe("order-placed")
                    .fire(() -> new Object[] {7, "ada", Map.of("items", 2)}));
        }
    }

    @Test
    void meterProbesFireOnEveryUpdate() {
        Bpftrace.assumeAvailable();
        AtomicInteger queueSize = meterRegistry.gauge("test.queue", Tags.of("queue", "orders"), new AtomicInteger(42));
        Timer timer = meterRegistry.timer("test.timer", "k", "v");
        DistributionSummary summary = meterRegistry.summary("test.summary");
        try (Bpftrace bpftrace = Bpftrace.attach(PID, """
                usdt::mvc_e2e:meter__counter { printf("counter %s %s %ld\\n", str(arg0), str(arg1), arg2); }
                usdt::mvc_e2e:meter__timer { printf("timer %s %s %ld\\n", str(arg0), str(arg1), arg2); }
                usdt::mvc_e2e:meter__summary { printf("summary %s %s %ld\\n", str(arg0), str(arg1), arg2); }
                usdt::mvc_e2e:meter__gauge /str(arg0) == "test.queue"/ { printf("gauge %s %s %ld\\n", str(arg0), str(arg1), arg2); }
                """)) {
            bpftrace.awaitLine("counter test.counter k1=v1,k2=v2 2500", TIMEOUT,
                    () -> meterRegistry.counter("test.counter", "k2", "v2", "k1", "v1").increment(2.5));
            bpftrace.awaitLine("timer test.timer k=v 3000000", TIMEOUT,
                    () -> timer.record(Duration.ofMillis(3)));
            bpftrace.awaitLine("summary test.summary  1500", TIMEOUT, () -> summary.record(1.5));
            bpftrace.awaitLine("gauge test.queue queue=orders 42000", TIMEOUT);
        }
        assertThat(queueSize).hasValue(42);
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
