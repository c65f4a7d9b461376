package io.github.dtraceprovider.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;
import io.github.dtraceprovider.testing.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts that tie the demo's requests to kernel and JVM events (docs/system-context.md), run by every bpftrace of
 * the matrix against the demo app in this JVM while {@link DemoTraffic} sends it requests.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SystemContextScriptsTest {

    static final List<String> SCRIPTS = List.of("syscalls-by-route.bt", "offcpu-by-route.bt", "io-by-route.bt",
            "gc-pauses.bt", "slow-requests.bt");

    private static final long PID = ProcessHandle.current().pid();
    private static final String PAYMENT = "POST, /orders/{id}/payment";
    private static final String LOOKUP = "GET, /orders/{id}";
    /** The simulated bank, a route of the demo that every payment calls over HTTP. */
    private static final String BANK = "POST, /bank/charges";
    /** The routes one round of {@link DemoTraffic} exercises, as the scripts print their keys. */
    private static final String[] ROUTES = {"POST, /orders", PAYMENT, LOOKUP, BANK};

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void syscallsByRouteCountsEveryRoute(BpftraceBuild build) {
        Printed printed = trace(build, "syscalls-by-route.bt", () -> rounds(3));

        assertThat(printed.map("syscalls_per_request")).as(printed.text()).containsKeys(ROUTES);
        assertThat(printed.map("avg_syscalls")).as(printed.text()).containsKeys(ROUTES);
        // a payment waits for the bank's answer, which takes at least one system call
        assertThat(printed.map("avg_syscalls").get(PAYMENT)).as(printed.text()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void offCpuByRouteShowsTheWaitsOfPaymentAndBank(BpftraceBuild build) {
        Printed printed = trace(build, "offcpu-by-route.bt", () -> rounds(5));

        assertThat(printed.map("offcpu_us_per_request")).as(printed.text()).containsKeys(ROUTES);
        Map<String, Long> average = printed.map("avg_offcpu_us");
        // the bank sleeps; the payment's thread blocks until the bank answers
        assertThat(average.get(BANK)).as(printed.text()).isGreaterThan(average.get(LOOKUP));
        assertThat(average.get(PAYMENT)).as(printed.text()).isGreaterThan(average.get(LOOKUP));
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void ioByRouteCountsBytesOfEveryRoute(BpftraceBuild build) {
        Printed printed = trace(build, "io-by-route.bt", () -> rounds(3));

        assertThat(printed.map("requests")).as(printed.text()).containsKeys(ROUTES);
        for (String route : ROUTES) {
            assertThat(printed.map("bytes_read").get(route)).as(route + " in\n" + printed.text()).isPositive();
            assertThat(printed.map("bytes_written_after_done").get(route)).as(route + " in\n" + printed.text())
                    .isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void gcPausesCountTheRequestsInFlight(BpftraceBuild build) {
        Printed printed = trace(build, "gc-pauses.bt", this::forceGcsUnderTraffic);

        assertThat(printed.lines()).as(printed.text())
                .anyMatch(line -> line.matches("GC pause \\d+ \\((full|young)\\) took \\d+ us"));
        assertThat(printed.map("requests_in_flight")).as(printed.text()).isNotEmpty()
                .allSatisfy((pause, requests) -> assertThat(requests).isPositive());
        assertThat(printed.map("latency_us_overlapping_a_pause")).as(printed.text()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(BpftraceBuild.class)
    void slowRequestsPrintsThePaymentWithTheTraceIdItWasSent(BpftraceBuild build) throws IOException {
        build.assumeAvailable();
        String traceId = randomHex(16);
        Printed printed;
        // 4 ms: a payment waits at least 5 ms for the bank, which serves it on another thread, in the same trace
        try (Bpftrace bpftrace = Bpftrace.attach(build, PID, Files.readString(Path.of("scripts", "slow-requests.bt")),
                List.of("4"))) {
            awaitTraced(provider.probe("http-request-start"), provider.probe("http-request-done"));
            DemoTraffic.payWithTraceparent(port, "00-" + traceId + "-" + randomHex(8) + "-01");
            // http-request-done may fire after the client has its response
            bpftrace.awaitLine("POST +/orders/\\{id\\}/payment .* " + traceId, Duration.ofSeconds(10));
            printed = new Printed(bpftrace.stop());
        }

        List<SlowRequest> slow = SlowRequest.in(printed.lines());
        assertThat(slow).as(printed.text()).allMatch(request -> request.micros() > 4000);
        // the payment and the bank's charge that it made, both with the trace id the client sent
        Map<String, SlowRequest> sent = slow.stream().filter(request -> request.traceId().equals(traceId))
                .collect(Collectors.toMap(SlowRequest::route, request -> request));
        assertThat(sent).as(printed.text()).containsOnlyKeys(PAYMENT, BANK);
        // the payment's thread blocks until the bank answers
        assertThat(sent.get(PAYMENT).blockedMicros()).as(printed.text()).isPositive();
    }

    private void rounds(int count) {
        for (int i = 0; i < count; i++) {
            DemoTraffic.round(port);
        }
    }

    /** Three clients send rounds of requests while jcmd forces three collections, so that pauses meet requests. */
    private void forceGcsUnderTraffic() {
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread client = new Thread(() -> {
                while (sending.get()) {
                    DemoTraffic.round(port);
                }
            }, "traffic-" + i);
            client.start();
            clients.add(client);
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            for (int i = 0; i < 3; i++) {
                Thread.sleep(300);
                Tools.runOk(Duration.ofSeconds(60), jcmd, Long.toString(PID), "GC.run");
            }
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            sending.set(false);
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Attaches the script with this build of bpftrace, runs the traffic and returns what bpftrace printed at exit. */
    private Printed trace(BpftraceBuild build, String script, Runnable traffic) {
        build.assumeAvailable();
        try (Bpftrace bpftrace = Bpftrace.attach(build, PID, Files.readString(Path.of("scripts", script)))) {
            awaitTraced(provider.probe("http-request-start"), provider.probe("http-request-done"));
            traffic.run();
            return new Printed(bpftrace.stop());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A line of slow-requests.bt, its method and route joined as the other scripts' keys are. */
    private record SlowRequest(String route, long micros, long blockedMicros, String traceId) {

        private static final Pattern LINE = Pattern.compile("(\\S+) +(\\S+) +(\\d+) +(\\d+) +(\\w*)");

        static List<SlowRequest> in(List<String> lines) {
            return lines.stream().map(LINE::matcher).filter(Matcher::matches)
                    .map(line -> new SlowRequest(line.group(1) + ", " + line.group(2), Long.parseLong(line.group(3)),
                            Long.parseLong(line.group(4)), line.group(5)))
                    .toList();
        }
    }

    /** A script's output, and its maps read back: {@code @name[POST, /orders]: 42} is 42 under name and key. */
    private record Printed(List<String> lines) {

        /** A map entry, or a histogram's heading (no value: 0). */
        private static final Pattern ENTRY = Pattern.compile("@(\\w+)\\[(.+)\\]:\\s*(\\d*)");

        /** The entries of one map, key to value; empty if the script printed none. */
        Map<String, Long> map(String name) {
            Map<String, Long> entries = new HashMap<>();
            for (String line : lines) {
                Matcher entry = ENTRY.matcher(line);
                if (entry.matches() && entry.group(1).equals(name)) {
                    entries.put(entry.group(2), entry.group(3).isEmpty() ? 0 : Long.parseLong(entry.group(3)));
                }
            }
            return entries;
        }

        String text() {
            return String.join("\n", lines);
        }
    }
}
