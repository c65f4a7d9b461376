package io.github.dtraceprovider.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.demo.DemoScriptsTest.PID;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/** The bpftrace commands of README.md work against the running demo app and print what its traffic does. */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class DemoReadmeTest {

    private static final Pattern ONE_LINER = Pattern.compile("bpftrace -p \\$PID -e '(.*)'");
    private static final Pattern FIRST_PROBE = Pattern.compile("usdt::orders:([\\w-]+)");

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    static Stream<String> oneLiners() throws IOException {
        List<String> programs = Files.readAllLines(Path.of("README.md")).stream().map(ONE_LINER::matcher)
                .filter(Matcher::matches).map(matcher -> matcher.group(1)).toList();
        assertThat(programs).hasSizeGreaterThanOrEqualTo(6);
        return programs.stream();
    }

    @ParameterizedTest
    @MethodSource("oneLiners")
    void oneLinerAttachesAndPrintsWhatTheTrafficDid(String program) {
        Bpftrace.assumeAvailable();
        Matcher probe = FIRST_PROBE.matcher(program);
        try (Bpftrace bpftrace = Bpftrace.attach(PID, program)) {
            awaitTraced(provider.probe(probe.find() ? probe.group(1) : "http-request-done"));
            DemoTraffic.round(port);
            assertThat(bpftrace.stop()).anyMatch(line -> !line.isBlank());
        }
    }

    @Test
    void listingCommandShowsEveryProbe() {
        Bpftrace.assumeAvailable();
        List<String> listed = Tools.runOk(Duration.ofSeconds(30), "bpftrace", "-p", Long.toString(PID), "-l",
                "usdt:*:orders:*").stdoutLines();
        assertThat(listed).hasSize(provider.probes().size())
                .allMatch(line -> line.startsWith("usdt:") && line.contains(":orders:"));
    }
}
