package io.github.dtraceprovider.spring.e2e;

import java.util.List;
import java.util.Optional;

import io.github.dtraceprovider.spring.http.HttpProbes;
import io.github.dtraceprovider.test.ProbeRecorder;

import org.springframework.boot.WebApplicationType;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a request fires, as a {@link ProbeRecorder} reads it: a start and a done with the same request id, method,
 * path, route, status and a positive duration. No tracer or root: {@link HttpProbeAssertions} checks the same with
 * bpftrace, for the builds of the bpftrace matrix.
 */
final class RecordedHttpProbes {

    private final ProbeRecorder recorder;
    private final int port;

    RecordedHttpProbes(ProbeRecorder recorder, int port) {
        this.recorder = recorder;
        this.port = port;
    }

    /**
     * Every route of {@link GreetingController} and a path none maps (answered by the static-resource handler, whose
     * pattern is {@code /**}): each request fires a start and a done with its route and final status. Spring MVC
     * answers a {@code Mono} that fails through an error dispatch to Spring Boot's {@code /error}, and Spring's own
     * observation reports that route; the filter reports the same.
     */
    void assertEveryRoute(WebApplicationType stack) {
        assertGet("/greetings/ada", "/greetings/{name}", 200);
        assertGet("/later/ada", "/later/{name}", 200);
        assertGet("/reactive/ada", "/reactive/{name}", 200);
        assertGet("/failures", "/failures", 500);
        assertGet("/failures/reactive", stack == WebApplicationType.SERVLET ? "/error" : "/failures/reactive", 500);
        assertGet("/no/such/page", "/**", 404);
    }

    /** Sends GET path once; its done fires once the response is written, so it is waited for. */
    void assertGet(String path, String route, int status) {
        HttpRequests.get(port, path);
        ProbeRecorder.Fire done = await().atMost(TIMEOUT).until(() -> doneOf(path), Optional::isPresent).get();
        assertThat(List.of(done.arg("method"), done.arg("route"), done.arg("status")))
                .as("done of GET %s", path).containsExactly("GET", route, (long) status);
        assertThat((Long) done.arg("durationNanos")).as("durationNanos of " + done).isPositive();
        assertThat(recorder.fires(HttpProbes.START))
                .filteredOn(start -> start.arg("requestId").equals(done.arg("requestId")))
                .singleElement().satisfies(start -> {
                    assertThat(List.of(start.arg("method"), start.arg("path"))).containsExactly("GET", path);
                    assertThat((String) start.arg("remoteAddress")).matches("127\\.0\\.0\\.1|0:0:0:0:0:0:0:1");
                    assertThat(List.of(start.arg("traceId"), start.arg("spanId"))).as("without Micrometer Tracing")
                            .containsExactly("", "");
                });
    }

    private Optional<ProbeRecorder.Fire> doneOf(String path) {
        return recorder.fires(HttpProbes.DONE).stream().filter(done -> path.equals(done.arg("path"))).findFirst();
    }
}
