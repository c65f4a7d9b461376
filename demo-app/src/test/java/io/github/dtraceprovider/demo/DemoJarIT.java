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

/** The README's way to run the demo: java -jar target/demo-app.jar, then bpftrace against that process. */
class DemoJarIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
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
        String java = ProcessHandle.current().info().command().orElse("java");
        app = new ProcessBuilder(java, "-jar", "target/demo-app.jar", "--server.port=0")
                .redirectErrorStream(true).start();
        collectLog();
        int port = Integer.parseInt(awaitLog(PORT).group(1));
        assertThat(log).anyMatch(line -> line.contains("DTrace provider 'orders' is live with 12 probes"));

        try (Bpftrace bpftrace = Bpftrace.attach(app.pid(), Files.readString(Path.of("scripts", "orders.bt")))) {
            bpftrace.awaitLine("order \\d+ paid: 9\\.00, authorization \\w{8}", TIMEOUT, () -> DemoTraffic.round(port));
        }
    }

    private void collectLog() {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(log::add);
            } catch (IOException e) {
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
