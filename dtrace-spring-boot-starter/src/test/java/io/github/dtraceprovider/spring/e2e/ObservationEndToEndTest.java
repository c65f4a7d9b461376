package io.github.dtraceprovider.spring.e2e;

import java.util.List;
import java.util.Optional;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.observation.InFlightObservation;
import io.github.dtraceprovider.spring.observation.ObservationProbes;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.test.ProbeRecorder.Fire;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Everything Spring observes fires the observation probes, as a {@link ProbeRecorder} reads them: an outgoing
 * RestClient call, {@code @Observed} methods (so AspectJ is on this test's class path: the with-aspectj execution),
 * a {@code @Scheduled} task, nesting and failure; and an observation that starts untraced costs nothing later. An
 * observation that outlives the tracer of its start is traced by bpftrace, one probe at a time.
 */
@Tag("with-aspectj")
@SpringBootTest(classes = ObservedApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "dtrace.provider=observation_e2e",
        "management.observations.annotations.enabled=true" })
class ObservationEndToEndTest {

    @LocalServerPort
    int port;

    @Autowired
    DTraceProvider provider;

    @Autowired
    ObservationRegistry registry;

    @Autowired
    RestClient.Builder restClients;

    @Autowired
    ObservedWork work;

    @Test
    void outgoingRestClientCall() {
        RestClient client = restClients.baseUrl("http://localhost:" + port).build();
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            client.get().uri("/greetings/{name}", "ada").retrieve().body(String.class);
            Fire stop = awaitStop(recorder, "http.client.requests");
            assertThat(stop.arg("contextualName")).isEqualTo("http get");
            assertThat(stop.arg("lowCardinalityTags")).isEqualTo("client.name=localhost,exception=none,method=GET,"
                    + "outcome=SUCCESS,status=200,uri=/greetings/{name}");
            assertThat((Long) stop.arg("durationNanos")).isPositive();
            assertThat(stop.arg("error")).isEqualTo("");

            Fire start = startOf(recorder, stop);
            assertThat(start.arg("name")).isEqualTo("http.client.requests");
            assertThat(recorder.fires().indexOf(start)).isLessThan(recorder.fires().indexOf(stop));
            assertThat(recorder.fires(ObservationProbes.START))
                    .as("without Micrometer Tracing: the call's, the request's it made, any other")
                    .extracting(fire -> fire.arg("traceId"), fire -> fire.arg("spanId")).containsOnly(tuple("", ""));
        }
    }

    @Test
    void observedMethod() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            work.pack("tea");
            Fire stop = awaitStop(recorder, "test.packing");
            assertThat(stop.arg("contextualName")).isEqualTo("pack-order");
            assertThat(stop.arg("lowCardinalityTags")).as("sorted by key")
                    .isEqualTo("area=a,class=" + ObservedWork.class.getName() + ",method=pack,zone=b");
            assertThat(startOf(recorder, stop)).extracting(start -> start.arg("name"),
                    start -> start.arg("lowCardinalityTags")).containsExactly("test.packing",
                            stop.arg("lowCardinalityTags"));
        }
    }

    @Test
    void failedObservationReportsItsError() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            assertThatIllegalStateException().isThrownBy(() -> work.failToPack("piano"));
            Fire stop = awaitStop(recorder, "test.packing.failed");
            assertThat(stop.arg("error")).isEqualTo("java.lang.IllegalStateException: out of stock: piano");
            assertThat(startOf(recorder, stop).arg("name")).isEqualTo("test.packing.failed");
        }
    }

    @Test
    void scheduledTask() {
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Fire stop = awaitStop(recorder, "tasks.scheduled.execution");
            assertThat(stop.arg("contextualName")).isEqualTo("task observedWork.tick");
            assertThat((String) stop.arg("lowCardinalityTags"))
                    .startsWith("code.function=tick,code.namespace=" + ObservedWork.class.getName() + ",exception=none")
                    .contains("outcome=SUCCESS");
            Fire start = startOf(recorder, stop);
            assertThat(List.of(start.arg("traceId"), start.arg("spanId"))).as("without Micrometer Tracing")
                    .containsExactly("", "");
        }
    }

    @Test
    void nestedObservationStartsAndStopsInsideItsParent() {
        RestClient client = restClients.baseUrl("http://localhost:" + port).build();
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Observation.createNotStarted("test.parent", registry)
                    .observe(() -> client.get().uri("/greetings/{name}", "ada").retrieve().body(String.class));
            Fire parent = awaitStop(recorder, "test.parent");
            List<Fire> fires = recorder.fires();
            List<Fire> children = fires.subList(fires.indexOf(startOf(recorder, parent)), fires.indexOf(parent))
                    .stream().filter(fire -> fire.name().startsWith("observation-")
                            && "http.client.requests".equals(fire.arg("name"))).toList();
            assertThat(children).extracting(Fire::name).as("the call's start and stop")
                    .containsExactly(ObservationProbes.START, ObservationProbes.STOP);
            assertThat(children.get(0).arg("id")).isEqualTo(children.get(1).arg("id")).isNotEqualTo(parent.arg("id"));
            assertThat((Long) children.get(1).arg("durationNanos")).isLessThan((Long) parent.arg("durationNanos"));
        }
    }

    @Test
    void observationThatStartedUntracedFiresNothingAtItsStop() {
        Observation untraced = Observation.start("test.untraced", registry);
        assertThat(untraced.getContext().<InFlightObservation>get(InFlightObservation.class)).as("nothing stored untraced").isNull();
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            untraced.stop();
            Observation traced = Observation.start("test.traced", registry);
            assertThat(traced.getContext().<InFlightObservation>get(InFlightObservation.class)).isNotNull();
            traced.stop();
            awaitStop(recorder, "test.traced");
            assertThat(recorder.fires(ObservationProbes.STOP)).extracting(stop -> stop.arg("name"))
                    .doesNotContain("test.untraced");
        }
    }

    /**
     * Only a tracer can trace one probe and not the other: a recorder enables both. The start is traced alone, then
     * the stop alone.
     */
    @Test
    void observationThatStartedTracedFiresItsStopAfterStartsTracerLeft() {
        Observation observation;
        long id;
        try (ObservationFires starts = ObservationFires.attachToStart(provider, registry)) {
            observation = Observation.start("test.outlived", registry);
            id = observation.getContext().<InFlightObservation>get(InFlightObservation.class).id();
            assertThat(starts.awaitStart(id).name()).isEqualTo("test.outlived");
        }
        try (ObservationFires stops = ObservationFires.attachToStop(provider, registry)) {
            observation.stop();
            ObservationFires.Fire stop = stops.awaitStop("test.outlived", () -> { });
            assertThat(stop.id()).isEqualTo(id);
            assertThat(stop.durationNanos()).isPositive();
        }
    }

    /** The first recorded stop of the observation named {@code name}, once it has fired. */
    private static Fire awaitStop(ProbeRecorder recorder, String name) {
        return await().atMost(TIMEOUT).until(() -> recorder.fires(ObservationProbes.STOP).stream()
                .filter(stop -> name.equals(stop.arg("name"))).findFirst(), Optional::isPresent).get();
    }

    /** The recorded start of the observation that {@code stop} ends. */
    private static Fire startOf(ProbeRecorder recorder, Fire stop) {
        return recorder.fires(ObservationProbes.START).stream().filter(start -> start.arg("id").equals(stop.arg("id")))
                .findFirst().orElseThrow(() -> new AssertionError("no start recorded for " + stop));
    }
}
