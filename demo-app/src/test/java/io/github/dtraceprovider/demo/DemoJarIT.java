package io.github.dtraceprovider.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's way to run the demo: java -jar target/demo-app.jar, then bpftrace against that process; and probes
 * added to the running demo's methods with java -jar dtrace-agent.jar attach.
 */
class DemoJarIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Pattern PORT = Pattern.compile(".*Tomcat started on port (\\d+).*");

    private final List<String> log = new CopyOnWriteArrayList<>();
    private Process app;

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void executableJarServesOrdersThatBpftraceSees() throws Exception {
        Bpftrace.assumeAvailable();
        int port = startDemo();
        assertThat(log).anyMatch(line -> line.contains("DTrace provider 'orders' is live with 12 probes"));

        try (Bpftrace bpftrace = Bpftrace.attach(app.pid(), Files.readString(Path.of("scripts", "orders.bt")))) {
            bpftrace.awaitLine("order \\d+ paid: 9\\.00, authorization \\w{8}", TIMEOUT, () -> DemoTraffic.round(port));
        }
    }

    @Test
    void probesAddedToTheRunningDemoReadArgumentsAndResultsUntilRemoved() throws Exception {
        Bpftrace.assumeAvailable();
        // the starter's write operation for method probes, which the demo leaves off
        int port = startDemo("--management.endpoints.web.exposure.include=dtrace,dtracemethodprobes",
                "--management.endpoint.dtracemethodprobes.access=unrestricted");
        DemoTraffic.round(port);

        assertThat(agent("--probe", "slow_find", "--method", "io.github.dtraceprovider.demo.order.OrderRepository#find",
                "--args", "arg0")).startsWith("added dynamic:slow_find(int arg0)");
        assertThat(http(port, "POST", "/actuator/dtracemethodprobes/found", """
                {"method": "io.github.dtraceprovider.demo.order.OrderService#find", "args": "id,return.customer,thrown"}"""))
                .contains("added dynamic:found(int id, char * return_customer, char * thrown)");
        assertThat(http(port, "GET", "/actuator/dtrace", null))
                .contains("\"methodProbes\":[{\"name\":\"slow_find\"").contains("{\"name\":\"found\"");
        try (Bpftrace bpftrace = Bpftrace.attach(app.pid(), """
                usdt::dynamic:slow_find { printf("slow_find %d\\n", arg0); }
                usdt::dynamic:found { printf("found %d '%s' '%s'\\n", arg0, str(arg1), str(arg2)); }""")) {
            // GET /orders/999999 answers 404: OrderService#find throws, and returns nothing
            bpftrace.awaitLine("found 999999 '' 'io.github.dtraceprovider.demo.order.OrderNotFoundException'",
                    TIMEOUT, () -> DemoTraffic.round(port));
            assertThat(bpftrace.output()).contains("slow_find 999999");
            String read = bpftrace.awaitLine("found \\d+ 'ada' ''", TIMEOUT, () -> DemoTraffic.round(port));
            assertThat(bpftrace.output()).contains("slow_find " + read.split(" ")[1]);

            assertThat(agent("--remove", "slow_find")).startsWith("removed slow_find");
            assertThat(http(port, "DELETE", "/actuator/dtracemethodprobes/found", null)).contains("removed found");
            int printed = bpftrace.output().size();
            DemoTraffic.round(port);
            assertThat(bpftrace.output()).hasSize(printed);
        }
        assertThat(agent("list")).isEqualTo("no probes added");
    }

    private int startDemo(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", "target/demo-app.jar", "--server.port=0"));
        command.addAll(List.of(arguments));
        app = new ProcessBuilder(command).redirectErrorStream(true).start();
        collectLog();
        return Integer.parseInt(awaitLog(PORT).group(1));
    }

    /** The body of a request that must succeed. */
    private static String http(int port, String method, String path, String json) throws IOException,
            InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/json")
                        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** README: java -jar dtrace-agent.jar attach PID ...; its one-line reply, once it succeeded. */
    private String agent(String... request) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", System.getProperty("dtrace.agent.jar"),
                "attach", Long.toString(app.pid())));
        command.addAll(List.of(request));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        String reply = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(reply).isZero();
        return reply;
    }

    private void collectLog() {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(log::add);
            } catch (IOException | UncheckedIOException e) {
                // the process ended
            }
        }, "demo-app-log");
        reader.setDaemon(true);
        reader.start();
    }

    private Matcher awaitLog(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : log) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches()) {
                    return matcher;
                }
            }
            if (!app.isAlive()) {
                fail("demo-app exited with " + app.exitValue() + ":\n" + String.join("\n", log));
            }
            Thread.sleep(100);
        }
        return fail("demo-app did not log /" + pattern + "/ within " + TIMEOUT + ":\n" + String.join("\n", log));
    }
}
