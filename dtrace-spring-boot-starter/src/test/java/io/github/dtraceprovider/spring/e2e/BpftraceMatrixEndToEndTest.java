package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;

/**
 * The starter's HTTP, method and meter probes, read by every bpftrace of the matrix ({@link BpftraceBuild}: Debian
 * 12's, Debian 13's and sid's) from a running application.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=matrix_e2e",
        "dtrace.probes.greeted=char * name,int length" })
class BpftraceMatrixEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Autowired
    MeterRegistry meterRegistry;

    @Autowired
    GreetingService greetings;

    /** The name a tracer knows a probe by. Every program below goes through here. */
    static String sdt(Probe probe) {
        return probe.name();
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void httpProbesReportEachRequest(BpftraceBuild build) {
        try (HttpProbeAssertions http = HttpProbeAssertions.attach(build, provider.name(),
                sdt(provider.probe("http-request-start")), sdt(provider.probe("http-request-done")), port)) {
            http.assertGet("/greetings/ada", "/greetings/{name}", 200);
            http.assertGet("/failures", "/failures", 500);
        }
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void tracedMethodsFireEntryAndReturn(BpftraceBuild build) {
        build.assumeAvailable();
        Probe entry = provider.probe("method-entry");
        Probe done = provider.probe("method-return");
        try (Bpftrace bpftrace = Bpftrace.attach(build, PID, """
                usdt::%1$s:%2$s { printf("entry %%s.%%s\\n", str(arg0), str(arg1)); }
                usdt::%1$s:%3$s { printf("return %%s.%%s %%ld [%%s]\\n", str(arg0), str(arg1), arg2, str(arg3)); }
                """.formatted(provider.name(), sdt(entry), sdt(done)))) {
            ProbeState.awaitTraced(entry, TIMEOUT);
            ProbeState.awaitTraced(done, TIMEOUT);
            greetings.greet("ada");
            bpftrace.awaitLine("entry GreetingService.greet", TIMEOUT);
            bpftrace.awaitLine("return GreetingService.greet [1-9]\\d* \\[\\]", TIMEOUT);
            bpftrace.awaitLine("return GreetingService.fail [1-9]\\d* \\[java.lang.IllegalStateException\\]", TIMEOUT,
                    () -> {
                        try {
                            greetings.fail("on purpose");
                        } catch (IllegalStateException expected) {
                            // the method's own exception, unchanged by the probes
                        }
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void counterIncrementsFireTheMeterProbe(BpftraceBuild build) {
        build.assumeAvailable();
        Counter counter = meterRegistry.counter("matrix.counter", "build", build.name(), "k", "v");
        try (Bpftrace bpftrace = Bpftrace.attach(build, PID, """
                usdt::%s:%s { printf("counter %%s %%s %%ld\\n", str(arg0), str(arg1), arg2); }
                """.formatted(provider.name(), sdt(provider.probe("meter-counter"))))) {
            bpftrace.awaitLine("counter matrix.counter build=" + build.name() + ",k=v 2500", TIMEOUT,
                    () -> counter.increment(2.5));
        }
    }
}
