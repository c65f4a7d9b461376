package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.spring.observation.ObservationProbes;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Micrometer Tracing on the class path (Brave, W3C propagation; the with-tracing test execution), a request
 * that carries a {@code traceparent} fires {@code http-request-start} with that trace id and the id of the server
 * span Spring opened for it, and the request's observation fires {@code observation-start} with the same two ids.
 * Every other execution runs without Micrometer Tracing, and there the ids are empty ({@link RecordedHttpProbes}).
 * Each subclass sets the web stack.
 */
@Tag("with-tracing")
abstract class TraceIdsEndToEndTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Test
    void aRequestsProbesCarryTheTraceItWasSentAndItsServerSpan() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            HttpRequests.get(port, "/greetings/ada", "traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");
            ProbeRecorder.Fire start = recorder.awaitFires(HttpProbes.START, 1, TIMEOUT).get(0);
            assertThat(start.arg("traceId")).isEqualTo(TRACE_ID);
            String serverSpan = (String) start.arg("spanId");
            assertThat(serverSpan).matches("[0-9a-f]{16}").isNotEqualTo(CALLER_SPAN_ID);
            assertThat(recorder.fires(ObservationProbes.START))
                    .filteredOn(observation -> "http.server.requests".equals(observation.arg("name")))
                    .singleElement().satisfies(observation -> {
                        assertThat(observation.arg("traceId")).isEqualTo(TRACE_ID);
                        assertThat(observation.arg("spanId")).isEqualTo(serverSpan);
                    });
        }
    }
}
