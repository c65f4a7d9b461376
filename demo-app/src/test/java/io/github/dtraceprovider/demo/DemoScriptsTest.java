package io.github.dtraceprovider.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every script in scripts/ parses, attaches to the running demo app as its Usage line says and reports what its
 * traffic does; those that tie requests to kernel and JVM events are {@link SystemContextScriptsTest}'s.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoScriptsTest {

    static final long PID = ProcessHandle.current().pid();
    static final Path SCRIPTS = Path.of("scripts");
    private static final Pattern USAGE_STRLEN = Pattern.compile("Usage: BPFTRACE_STRLEN=(\\d+) bpftrace");

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    static Stream<Arguments> scripts() {
        return Stream.of(
                arguments("latency-by-route.bt", "http-request-done", "@latency_us\\[POST, /orders/\\{id\\}/payment\\]: "),
                arguments("slowest-methods.bt", "method-return", "@max_us\\[PaymentGateway, charge\\]: \\d+"),
                arguments("errors.bt", "http-request-done",
                        "500 POST /orders/\\d+/payment \\(route /orders/\\{id\\}/payment\\) in \\d+ us, request \\d+"),
                arguments("orders.bt", "payment-authorized", "order \\d+ paid: 9\\.00, authorization \\w{8}"),
                arguments("meters.bt", "meter-counter", "counter orders.placed \\[\\] \\+1\\.000"),
                arguments("outgoing-latency.bt", "observation-stop", "@outgoing_us\\[client.name=localhost,"
                        + "exception=none,method=POST,outcome=SUCCESS,status=201,uri=/bank/charges\\]: "));
    }

    @Test
    void everyScriptIsTested() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            Stream<String> tested = Stream.concat(scripts().map(script -> (String) script.get()[0]),
                    SystemContextScriptsTest.SCRIPTS.stream());
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".bt")))
                    .containsExactlyInAnyOrderElementsOf(tested.toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void scriptAttachesAndReportsTheTraffic(String script, String probe, String expectedLine) throws IOException {
        Bpftrace.assumeAvailable();
        String program = Files.readString(SCRIPTS.resolve(script));
        try (Bpftrace bpftrace = Bpftrace.attach(BpftraceBuild.SYSTEM, environmentOf(program), PID, program)) {
            awaitTraced(provider.probe(probe));
            DemoTraffic.round(port);
            List<String> output = bpftrace.stop();
            assertThat(output).as(String.join("\n", output)).anyMatch(line -> line.matches(expectedLine));
        }
    }

    /** The BPFTRACE_STRLEN that the script's Usage line sets, if any. */
    private static Map<String, String> environmentOf(String program) {
        Matcher strlen = USAGE_STRLEN.matcher(program);
        return strlen.find() ? Map.of("BPFTRACE_STRLEN", strlen.group(1)) : Map.of();
    }
}
