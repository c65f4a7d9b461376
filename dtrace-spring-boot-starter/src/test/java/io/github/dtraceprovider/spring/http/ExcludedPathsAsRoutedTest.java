package io.github.dtraceprovider.spring.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dtrace.http.exclude} matches the path Spring routes on, not the raw one: {@code /%61ctuator/health} and
 * {@code /actuator;x/health} reach the health endpoint and fire nothing under the default {@code /actuator/**}, on
 * both stacks, whether the observation handler or the filter reports requests. Probe fires are recorded in-process
 * ({@link ProbeRecorder}), so no tracer or root is needed.
 */
class ExcludedPathsAsRoutedTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void pathsAreMatchedDecodedAndWithoutSegmentParameters() {
        ExcludedPaths actuator = new ExcludedPaths(List.of("/actuator/**"));
        for (String path : List.of("/actuator/health", "/%61ctuator/health", "/actuator;x/health", "/actuator;a=b;c/x",
                "/%61%63%74%75%61%74%6F%72", "/actuator/%68ealth;y")) {
            assertThat(actuator.matches(path)).as(path).isTrue();
        }
        for (String path : List.of("/hello", "/actuatorx/health", "/act%75atorx", "/hello;actuator",
                "/actuator%2Fhealth", "/x%zz/actuator")) {
            assertThat(actuator.matches(path)).as(path).isFalse();
        }
        ExcludedPaths other = new ExcludedPaths(List.of("/orders/*/€/**"));
        assertThat(other.matches("/orders;v=1/7;w/%E2%82%AC/a%2Fb")).isTrue();
    }

    @ParameterizedTest(name = "{0}, observed: {1}")
    @CsvSource({ "SERVLET, true", "SERVLET, false", "REACTIVE, true", "REACTIVE, false" })
    void excludedPathsFireNothingHoweverTheClientSpellsThem(WebApplicationType stack, boolean observed) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ExcludingApplication.class)
                .web(stack)
                .properties("server.port=0", "dtrace.provider=excluded_" + stack + "_" + observed,
                        "management.observations.enable.http.server.requests=" + observed)
                .run()) {
            DTraceProvider provider = context.getBean(DTraceProvider.class);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                for (String path : List.of("/actuator/health", "/%61ctuator/health", "/actuator;x/health")) {
                    assertThat(statusOf(port, path)).as("GET %s reaches the health endpoint", path)
                            .isEqualTo(200);
                }
                assertThat(statusOf(port, "/hello")).isEqualTo(200);
                // http-request-start fires before the response; done may fire just after the client has it
                recorder.awaitFires(HttpProbes.DONE, 1, Duration.ofSeconds(30));
                assertThat(recorder.fires(HttpProbes.START)).as("http-request-start fires")
                        .extracting(fire -> fire.arg("path")).containsExactly("/hello");
                assertThat(recorder.fires(HttpProbes.DONE)).as("http-request-done fires")
                        .extracting(fire -> fire.arg("path")).containsExactly("/hello");
            }
        }
    }

    /**
     * The status of {@code GET path} sent byte for byte as written, on a connection of its own. A pooled connection
     * once went unanswered in CI, under load; a fresh one per request takes the client's pool out of the test, and if
     * a request ever hangs again the failure shows where the server's threads were.
     */
    private static int statusOf(int port, String path) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as("GET %s: status line", path).startsWith("HTTP/1.1 ");
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("GET " + path + " got no answer in " + TIMEOUT.toSeconds() + " s; threads:\n"
                    + threadDump(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(HelloController.class)
    static class ExcludingApplication {
    }

    @RestController
    static class HelloController {

        @GetMapping("/hello")
        String hello() {
            return "hello";
        }
    }
}
