package io.github.dtraceprovider.spring.e2e;

import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.e2e.ObservationFires.Fire;
import io.github.dtraceprovider.spring.observation.InFlightObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Everything Spring observes fires the observation probes, seen by bpftrace attached to this JVM: an outgoing
 * RestClient call, {@code @Observed} methods (so AspectJ is on this test's class path: the with-aspectj execution),
 * a {@code @Scheduled} task, nesting and failure; and an observation that starts untraced costs nothing later.
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
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            Fire stop = fires.awaitStop("http.client.requests",
                    () -> client.get().uri("/greetings/{name}", "ada").retrieve().body(String.class));
            assertThat(stop.contextualName()).isEqualTo("http get");
            assertThat(stop.tags()).isEqualTo("client.name=localhost,exception=none,method=GET,outcome=SUCCESS,"
                    + "status=200,uri=/greetings/{name}");
            assertThat(stop.durationNanos()).isPositive();
            assertThat(stop.error()).isEmpty();

            Fire start = fires.awaitStart(stop.id());
            assertThat(start.name()).isEqualTo("http.client.requests");
            assertThat(start.nsecs()).isLessThan(stop.nsecs());
        }
    }

    @Test
    void observedMethod() {
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            Fire stop = fires.awaitStop("test.packing", () -> work.pack("tea"));
            assertThat(stop.contextualName()).isEqualTo("pack-order");
            assertThat(stop.tags()).as("sorted by key")
                    .isEqualTo("area=a,class=" + ObservedWork.class.getName() + ",method=pack,zone=b");
            assertThat(fires.awaitStart(stop.id())).extracting(Fire::name, Fire::tags)
                    .containsExactly("test.packing", stop.tags());
        }
    }

    @Test
    void failedObservationReportsItsError() {
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            Fire stop = fires.awaitStop("test.packing.failed",
                    () -> assertThatIllegalStateException().isThrownBy(() -> work.failToPack("piano")));
            assertThat(stop.error()).isEqualTo("java.lang.IllegalStateException: out of stock: piano");
            assertThat(fires.awaitStart(stop.id()).error()).isEmpty();
        }
    }

    @Test
    void scheduledTask() {
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            Fire stop = fires.awaitStop("tasks.scheduled.execution", () -> { });
            assertThat(stop.contextualName()).isEqualTo("task observedWork.tick");
            // then outcome=SUCCESS, past what bpftrace reads here
            assertThat(stop.tags())
                    .startsWith("code.function=tick,code.namespace=" + ObservedWork.class.getName() + ",exception=none");
        }
    }

    @Test
    void nestedObservationStartsAndStopsInsideItsParent() {
        RestClient client = restClients.baseUrl("http://localhost:" + port).build();
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            Fire parent = fires.awaitStop("test.parent", () -> Observation.createNotStarted("test.parent", registry)
                    .observe(() -> client.get().uri("/greetings/{name}", "ada").retrieve().body(String.class)));
            Fire parentStart = fires.awaitStart(parent.id());
            List<Fire> children = fires.fires().stream().filter(fire -> fire.name().equals("http.client.requests")
                    && fire.nsecs() > parentStart.nsecs() && fire.nsecs() < parent.nsecs()).toList();
            assertThat(children).extracting(Fire::probe).as("the call's start and stop").containsExactly("start",
                    "stop");
            assertThat(children.get(0).id()).isEqualTo(children.get(1).id()).isNotEqualTo(parent.id());
            assertThat(children.get(1).durationNanos()).isLessThan(parent.durationNanos());
        }
    }

    @Test
    void observationThatStartedUntracedFiresNothingAtItsStop() {
        Observation untraced = Observation.start("test.untraced", registry);
        assertThat(untraced.getContext().<InFlightObservation>get(InFlightObservation.class)).as("nothing stored untraced").isNull();
        List<Fire> fired;
        try (ObservationFires fires = ObservationFires.attach(provider, registry)) {
            untraced.stop();
            Observation traced = Observation.start("test.traced", registry);
            assertThat(traced.getContext().<InFlightObservation>get(InFlightObservation.class)).isNotNull();
            traced.stop();
            fires.awaitStop("test.traced", () -> { });
            fired = fires.stop();
        }
        assertThat(fired).extracting(Fire::name).doesNotContain("test.untraced");
    }

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
            Fire stop = stops.awaitStop("test.outlived", () -> { });
            assertThat(stop.id()).isEqualTo(id);
            assertThat(stop.durationNanos()).isPositive();
        }
    }
}
