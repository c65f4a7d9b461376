package io.github.dtraceprovider.zeroconfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that adds nothing but the starter and spring-boot-starter-webmvc, and configures nothing, gets the
 * HTTP and @Traced probes under the provider "java".
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ZeroConfigApplicationTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient client = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Autowired
    ApplicationContext context;

    @Test
    void everyProbeIsThereWithoutConfiguration() {
        assertThat(provider.name()).isEqualTo("java");
        assertThat(provider.isEnabled()).isTrue();
        assertThat(provider.probes()).extracting(Probe::name).containsExactlyInAnyOrder("http-request-start",
                "http-request-done", "method-entry", "method-return");
        assertThat(context.getBeanNamesForType(ObservationRegistry.class)).as("no observations: the filter reports")
                .isEmpty();
        assertThat(getClass().getClassLoader().getResource("org/aspectj/weaver/Advice.class")).isNull();
    }

    @Test
    void bpftraceSeesRequestsAndTracedMethods() {
        Bpftrace.assumeAvailable();
        try (Bpftrace bpftrace = Bpftrace.attach(PID, """
                usdt::java:http__request__done { printf("done %ld %s %s %s %ld %ld\\n", arg0, str(arg1), str(arg2), str(arg3), arg4, arg5); }
                usdt::java:method__return { printf("return %s.%s %ld [%s]\\n", str(arg0), str(arg1), arg2, str(arg3)); }
                """)) {
            bpftrace.awaitLine("done \\d+ GET /echo/hi /echo/\\{word\\} 200 [1-9]\\d*", TIMEOUT, () -> get("/echo/hi"));
            bpftrace.awaitLine("return EchoService.echo [1-9]\\d* \\[\\]", TIMEOUT, () -> get("/echo/hi"));
        }
    }

    private void get(String path) {
        try {
            client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
