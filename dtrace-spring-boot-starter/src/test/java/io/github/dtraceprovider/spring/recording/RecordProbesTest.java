package io.github.dtraceprovider.spring.recording;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.test.RecordProbes;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @RecordProbes} records the starter's provider around each test of a {@code @SpringBootTest}. */
@SpringBootTest(classes = RecordedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=greetings", "dtrace.probes.greeted[0]=char * name"})
@RecordProbes
class RecordProbesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The recorders the tests got, and the provider, checked once every recorder is closed. */
    private static final List<ProbeRecorder> RECORDERS = new CopyOnWriteArrayList<>();
    private static DTraceProvider recordedProvider;

    @LocalServerPort
    private int port;

    @Autowired
    private DTraceProvider provider;

    @Test
    void aRequestFiresTheHttpTracedAndApplicationProbes(ProbeRecorder recorder) throws Exception {
        remember(recorder);
        assertThat(get("/greet/ada").body()).isEqualTo("hello, ada");

        // The HTTP probes fire once the response is written: wait for the last one.
        ProbeRecorder.Fire done = recorder.awaitFires("http-request-done", 1, TIMEOUT).get(0);
        assertThat(List.of(done.arg("method"), done.arg("path"), done.arg("route"), done.arg("status")))
                .containsExactly("GET", "/greet/ada", "/greet/{name}", 200L);
        assertThat(recorder.fires("http-request-start")).singleElement()
                .satisfies(start -> assertThat(start.arg("requestId")).isEqualTo(done.arg("requestId")));
        assertThat(recorder.fires("method-entry")).extracting(ProbeRecorder.Fire::args)
                .containsExactly(List.of("Greeter", "greet"));
        assertThat(recorder.fires("method-return")).singleElement()
                .satisfies(exit -> assertThat(exit.arg("exception")).isEqualTo(""));
        assertThat(recorder.fires("greeted")).extracting(ProbeRecorder.Fire::args).containsExactly(List.of("ada"));
        assertThat(recorder.fires()).extracting(ProbeRecorder.Fire::provider).containsOnly("greetings");
    }

    @Test
    void eachTestGetsARecorderOfItsOwn(ProbeRecorder recorder) {
        remember(recorder);
        assertThat(recorder.fires()).isEmpty();
        assertThat(provider.probes()).allMatch(probe -> probe.isEnabled());
    }

    /** Every recorder is closed after its test: the probes are untraced again and later fires are not recorded. */
    @AfterAll
    static void recordersAreClosedAfterEachTest() {
        assertThat(RECORDERS).hasSize(2).doesNotHaveDuplicates();
        assertThat(recordedProvider.probes()).noneMatch(probe -> probe.isEnabled());
        recordedProvider.fire("greeted", () -> new Object[] {"late"});
        assertThat(RECORDERS).allMatch(recorder -> recorder.fires().stream()
                .noneMatch(fire -> fire.args().contains("late")));
    }

    private void remember(ProbeRecorder recorder) {
        RECORDERS.add(recorder);
        recordedProvider = provider;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
