package io.github.dtraceprovider.spring.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint.ProbeDescriptor;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's HTTP, method and meter probes, read by every bpftrace of the matrix ({@link BpftraceBuild}: Debian
 * 12's, Debian 13's and sid's) from a running application.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=matrix_e2e",
        "dtrace.probes.greeted=char * name,int length",
        "dtrace.probes.wide=int a,char * b,char * c,int d,char * e,char * f,int g,char * h,char * i,int j,char * k,"
                + "char * l" })
class BpftraceMatrixEndToEndTest {

    /** A command as the actuator prints it, with an optional variable for bpftrace before it. */
    private static final Pattern COMMAND = Pattern.compile("(?:BPFTRACE_STRLEN=(\\d+) )?bpftrace -p " + PID
            + " -e '(.*)'");

    /** bpftrace 0.11 (Debian 11) refuses a printf format longer than 64 bytes, as twelve named arguments make. */
    private static final BpftraceBuild.Version LONG_FORMATS = new BpftraceBuild.Version(0, 12, 0);
    private static final Pattern PRINTF_FORMAT = Pattern.compile("printf\\(\"([^\"]*)\"");

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Autowired
    MeterRegistry meterRegistry;

    @Autowired
    GreetingService greetings;

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void httpProbesReportEachRequest(BpftraceBuild build) {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach(build, provider.name(), port)) {
            http.assertGet("/greetings/ada", "/greetings/{name}", 200);
            http.assertGet("/failures", "/failures", 500);
        }
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void tracedMethodsFireEntryAndReturn(BpftraceBuild build) {
        try (Bpftrace bpftrace = MethodProbeAssertions.attach(build, provider)) {
            MethodProbeAssertions.assertPlainAndFailingCalls(bpftrace, greetings);
        }
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void counterIncrementsFireTheMeterProbe(BpftraceBuild build) {
        build.assumeAvailable();
        Counter counter = meterRegistry.counter("matrix.counter", "build", build.name(), "k", "v");
        try (Bpftrace bpftrace = Bpftrace.attach(build, PID, """
                usdt::%s:meter__counter { printf("counter %%s %%s %%ld\\n", str(arg0), str(arg1), arg2); }
                """.formatted(provider.name()))) {
            bpftrace.awaitLine("counter matrix.counter build=" + build.name() + ",k=v 2500", TIMEOUT,
                    () -> counter.increment(2.5));
        }
    }

    /**
     * The command the actuator offers for a probe with twelve arguments, eight of them strings, works with every
     * bpftrace (arguments 7 to 12 from the stack, strings cut short enough for 0.17's stack), and the shorter one it
     * labels for bpftrace 0.24 and later works there.
     */
    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void theActuatorsCommandsForTwelveArgumentsPrintThemAll(BpftraceBuild build) {
        build.assumeAvailable();
        Probe wide = provider.probe("wide");
        String expected = "wide a=1 b=two c=three d=-4 e=five f=six g=" + Long.MIN_VALUE + " h=eight i=nine j="
                + Long.MAX_VALUE + " k=eleven l=twelve";
        Runnable fire = () -> wide.fire(() -> new Object[] {1, "two", "three", -4, "five", "six", Long.MIN_VALUE,
                "eight", "nine", Long.MAX_VALUE, "eleven", "twelve"});
        ProbeDescriptor described = new DTraceEndpoint(provider).probe("wide");
        List<String> commands = new ArrayList<>(List.of(described.bpftrace()));
        if (build.version().atLeast(new BpftraceBuild.Version(0, 24, 0))) {
            commands.add(described.bpftraceFrom024());
        }
        for (String command : commands) {
            Matcher program = COMMAND.matcher(command);
            assertThat(program.matches()).as(command).isTrue();
            Map<String, String> environment = program.group(1) == null ? Map.of()
                    : Map.of("BPFTRACE_STRLEN", program.group(1));
            assumeFormatsLongerThan64Bytes(build, program.group(2));
            try (Bpftrace bpftrace = Bpftrace.attach(build, environment, PID, program.group(2))) {
                assertThat(bpftrace.awaitLine("wide .*", TIMEOUT, fire)).as(command).isEqualTo(expected);
            }
        }
    }

    /** Skips, saying why, where this build's limit on printf formats makes the command fail. */
    private static void assumeFormatsLongerThan64Bytes(BpftraceBuild build, String program) {
        Matcher format = PRINTF_FORMAT.matcher(program);
        assertThat(format.find()).as(program).isTrue();
        Assumptions.assumeTrue(build.version().atLeast(LONG_FORMATS) || format.group(1).replace("\\n", "\n")
                .getBytes(StandardCharsets.UTF_8).length <= 64, () -> "bpftrace " + build.version() + " limits printf"
                + " formats to 64 bytes, which the actuator's command for twelve named arguments exceeds (README.md,"
                + " the tracer table)");
    }
}
