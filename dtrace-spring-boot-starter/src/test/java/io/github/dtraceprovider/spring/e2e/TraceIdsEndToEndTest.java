package io.github.dtraceprovider.spring.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.observation.ObservationProbes;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.pause;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * With Micrometer Tracing on the class path (Brave, W3C propagation; the with-tracing test execution), a request
 * that carries a {@code traceparent} fires {@code http-request-start} with that trace id and the id of the server
 * span Spring opened for it, and the request's observation fires {@code observation-start} with the same two ids.
 * Its handler calls {@link #RELAYED_TO} over HTTP, and that call's {@code http.client.requests} observation carries
 * the same trace id with a span of its own. A {@code @Scheduled} task ({@link ObservedWork#tick}) starts a trace of
 * its own. A {@link ProbeRecorder} reads the ids without root; bpftrace, attached to this JVM, prints the same. Every
 * other execution runs without Micrometer Tracing, and there the ids are empty ({@link RecordedHttpProbes},
 * {@link ObservationEndToEndTest}). Each subclass sets the web stack and the client its handler calls with.
 */
@Tag("with-tracing")
abstract class TraceIdsEndToEndTest {

    /** The route that calls {@link #RELAYED_TO}; each subclass maps it with the client of its stack. */
    static final String RELAYED = "/relayed/{name}";
    static final String RELAYED_TO = "/greetings/{name}";

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    private static final String PATH = "/relayed/ada";
    private static final String SERVER = "http.server.requests";
    private static final String CLIENT = "http.client.requests";
    private static final String SCHEDULED = "tasks.scheduled.execution";
    /** One line per start: the probe, its id, the path or the observation's name, then the two ids (arg4, arg5). */
    private static final String PROGRAM = """
            usdt::%1$s:http__request__start {
                printf("%2$s|%%ld|%%s|%%s|%%s\\n", arg0, str(arg2), str(arg4), str(arg5)); }
            usdt::%1$s:observation__start {
                printf("%3$s|%%ld|%%s|%%s|%%s\\n", arg0, str(arg1), str(arg4), str(arg5)); }
            """;

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    /** A start as both readers see it: whose it is (a request by its path, an observation by its name), its ids. */
    private record Start(String probe, long id, String name, String traceId, String spanId) {

        static Start recorded(ProbeRecorder.Fire fire) {
            boolean request = fire.name().equals(HttpProbes.START);
            return new Start(fire.name(), (Long) fire.arg(request ? "requestId" : "id"),
                    (String) fire.arg(request ? "path" : "name"), (String) fire.arg("traceId"),
                    (String) fire.arg("spanId"));
        }

        /** The start a line of {@link #PROGRAM} describes; any other line describes none. */
        static Optional<Start> printed(String line) {
            String[] fields = line.split("\\|", -1);
            boolean start = fields[0].equals(HttpProbes.START) || fields[0].equals(ObservationProbes.START);
            return start && fields.length == 5 ? Optional.of(new Start(fields[0], Long.parseLong(fields[1]),
                    fields[2], fields[3], fields[4])) : Optional.empty();
        }
    }

    /** The starts of a relayed request that carried a traceparent, as {@link #relayed} found them. */
    private record Relayed(Start request, Start server, Start client) {
    }

    @Test
    void aRequestsProbesCarryTheTraceItWasSentAndItsOutgoingCallASpanOfItsOwn() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            sendRelayed(TRACE_ID);
            // The call's observation starts inside the handler, before the response: all three are recorded.
            List<Start> recorded = recorded(recorder);
            Relayed relayed = relayed(recorded, TRACE_ID).orElseGet(() -> fail("no complete request with trace "
                    + TRACE_ID + "; recorded:\n" + recorded.stream().map(Start::toString).collect(joining("\n"))));
            assertSpans(relayed);
        }
    }

    @Test
    void aScheduledTaskStartsATraceOfItsOwn() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Start task = await().atMost(TIMEOUT).until(() -> scheduled(recorded(recorder)), Optional::isPresent).get();
            assertStartsATrace(task);
        }
    }

    /**
     * bpftrace prints the ids of a relayed request and of a scheduled task, read where the notes say, and they are
     * what the recorder read of the same fires. The recorder is attached first, so that it records every fire
     * bpftrace prints.
     */
    @Test
    void bpftracePrintsTheIdsTheRecorderRead() {
        Bpftrace.assumeAvailable();
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider);
                Bpftrace bpftrace = Bpftrace.attach(PID, PROGRAM.formatted(provider.name(), HttpProbes.START,
                        ObservationProbes.START))) {
            Relayed relayed = awaitRelayedPrinted(bpftrace);
            assertSpans(relayed);
            Start task = scheduled(printed(bpftrace)).orElseGet(() -> fail("no " + SCHEDULED + " printed"));
            assertStartsATrace(task);

            List<Start> recorded = recorded(recorder);
            for (Start printed : List.of(relayed.request(), relayed.server(), relayed.client(), task)) {
                assertThat(recorded).as("recorded of " + printed).filteredOn(start -> start.probe()
                        .equals(printed.probe()) && start.id() == printed.id()).containsExactly(printed);
            }
        }
    }

    /**
     * Sends relayed requests, each with a trace of its own, until bpftrace has printed all three starts of one and a
     * scheduled task's: it attaches its two probes one after the other, so the first requests may be seen by one.
     */
    private Relayed awaitRelayedPrinted(Bpftrace bpftrace) {
        List<String> sent = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            String traceId = TRACE_ID.substring(0, 24) + "%08x".formatted(sent.size());
            sent.add(traceId);
            sendRelayed(traceId);
            List<Start> printed = printed(bpftrace);
            Optional<Relayed> relayed = sent.stream().flatMap(sentId -> relayed(printed, sentId).stream()).findFirst();
            if (relayed.isPresent() && scheduled(printed).isPresent()) {
                return relayed.get();
            }
            pause();
        }
        return fail("no complete relayed request and scheduled task within " + TIMEOUT + "; bpftrace printed:\n"
                + String.join("\n", bpftrace.output()));
    }

    private void sendRelayed(String traceId) {
        assertThat(HttpRequests.get(port, PATH, "traceparent", "00-" + traceId + "-" + CALLER_SPAN_ID + "-01")
                .statusCode()).isEqualTo(200);
    }

    /**
     * The relayed request of trace {@code traceId} among {@code starts}, if all three of its starts carry that trace:
     * the request's, its observation's (the one with the request's span: the call's own request carries the trace on,
     * with a server span of its own) and its call's. bpftrace may print them in any order (a buffer per CPU).
     */
    private static Optional<Relayed> relayed(List<Start> starts, String traceId) {
        List<Start> ofTrace = starts.stream().filter(start -> start.traceId().equals(traceId)).toList();
        return ofTrace.stream().filter(start -> start.probe().equals(HttpProbes.START) && start.name().equals(PATH))
                .findFirst().flatMap(request -> observations(ofTrace, SERVER)
                        .filter(server -> server.spanId().equals(request.spanId())).findFirst()
                        .flatMap(server -> observations(ofTrace, CLIENT).findFirst()
                                .map(client -> new Relayed(request, server, client))));
    }

    private static Optional<Start> scheduled(List<Start> starts) {
        return observations(starts, SCHEDULED).findFirst();
    }

    private static Stream<Start> observations(List<Start> starts, String name) {
        return starts.stream().filter(start -> start.probe().equals(ObservationProbes.START)
                && start.name().equals(name));
    }

    /** The trace ids matched already ({@link #relayed}): the server span is Spring's, the call's its own. */
    private static void assertSpans(Relayed relayed) {
        String serverSpan = relayed.request().spanId();
        assertThat(serverSpan).as("the server span").matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN_ID);
        assertThat(relayed.client().spanId()).as("the call's span").matches("[0-9a-f]{16}")
                .isNotIn(serverSpan, CALLER_SPAN_ID);
    }

    private static void assertStartsATrace(Start task) {
        assertThat(task.traceId()).as("a new trace, none the requests sent").matches("[0-9a-f]{32}")
                .isNotEqualTo("0".repeat(32)).doesNotStartWith(TRACE_ID.substring(0, 24));
        assertThat(task.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("0".repeat(16));
    }

    private static List<Start> recorded(ProbeRecorder recorder) {
        return recorder.fires().stream().filter(fire -> fire.name().equals(HttpProbes.START)
                || fire.name().equals(ObservationProbes.START)).map(Start::recorded).toList();
    }

    private static List<Start> printed(Bpftrace bpftrace) {
        return bpftrace.output().stream().flatMap(line -> Start.printed(line).stream()).toList();
    }
}
