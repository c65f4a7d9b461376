package io.github.dtraceprovider.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        int port = startDemo();
        DemoTraffic.round(port);

        assertThat(agent("--probe", "slow_find", "--method", "io.github.dtraceprovider.demo.order.OrderRepository#find",
                "--args", "arg0")).startsWith("added dynamic:slow_find(int arg0)");
        assertThat(agent("--probe", "found", "--method", "io.github.dtraceprovider.demo.order.OrderService#find",
                "--args", "id,return.customer,thrown")).startsWith("added dynamic:found(int id, char * return_customer, "
                + "char * thrown)");
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
            assertThat(agent("--remove", "found")).startsWith("removed found");
            int printed = bpftrace.output().size();
            DemoTraffic.round(port);
            assertThat(bpftrace.output()).hasSize(printed);
        }
        assertThat(agent("list")).isEqualTo("no probes added");
    }

    private int startDemo() throws IOException, InterruptedException {
        app = new ProcessBuilder(JAVA, "-jar", "target/demo-app.jar", "--server.port=0")
                .redirectErrorStream(true).start();
        collectLog();
        return Integer.parseInt(awaitLog(PORT).group(1));
    }

    /** README: java -jar dtrace-agent.jar attach PID ...; its one-line reply, once it succeeded. */
    private String agent(String... request) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(JAVA, "-jar", System.getProperty("dtrace.agent.jar"),
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
            } catch (IOException | java.io.UncheckedIOException e) {
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
