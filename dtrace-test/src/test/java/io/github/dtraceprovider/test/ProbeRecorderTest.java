package io.github.dtraceprovider.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a test does with a recorder: look fires up by name, wait for them, clear them, fire from many threads. */
class ProbeRecorderTest {

    @Test
    void firesAreFoundByEitherSpellingAndAMisspeltNameFails() {
        try (DTraceProvider provider = DTraceProvider.create("recorder_names");
                ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Probe placed = provider.addProbe("order-placed", "int");
            provider.addProbe("order-paid", "int");
            placed.fire(() -> new Object[] {1});
            assertThat(recorder.fires("order-placed")).hasSize(1);
            assertThat(recorder.fires("order__placed")).hasSize(1);
            assertThat(recorder.fires("order-paid")).isEmpty();
            assertThatThrownBy(() -> recorder.fires("order-payed"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No probe \"order-payed\" in provider \"recorder_names\" (probes: order-placed,"
                            + " order-paid)");
        }
    }

    @Test
    void awaitFiresReturnsOnceTheyCameFromAnotherThread() throws Exception {
        try (DTraceProvider provider = DTraceProvider.create("recorder_await");
                ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Probe probe = provider.addProbe("done", "int");
            Thread firing = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    probe.fire(() -> new Object[] {7});
                }
            });
            firing.start();
            assertThat(recorder.awaitFires("done", 3, Duration.ofSeconds(30))).hasSize(3);
            firing.join();
        }
    }

    @Test
    void awaitFiresFailsListingWhatWasRecorded() {
        try (DTraceProvider provider = DTraceProvider.create("recorder_timeout");
                ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Probe start = provider.addProbe("start", "int id", "char * path");
            provider.addProbe("done", "int");
            start.fire(() -> new Object[] {1, "/orders"});
            assertThatThrownBy(() -> recorder.awaitFires("done", 1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected 1 fire(s) of probe \"done\" within PT0.05S but 0 came; recorded 1 fire(s):\n"
                            + "  recorder_timeout:start(1, \"/orders\") on thread \"" + Thread.currentThread().getName()
                            + "\"");
            recorder.clear();
            assertThatThrownBy(() -> recorder.awaitFires("done", 1, Duration.ZERO))
                    .hasMessageEndingWith("but 0 came; nothing was recorded");
        }
    }

    @Test
    void clearForgetsTheFiresSoFarAndRecordingGoesOn() {
        try (DTraceProvider provider = DTraceProvider.create("recorder_clear");
                ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            Probe probe = provider.addProbe("p", "int");
            probe.fire(() -> new Object[] {1});
            recorder.clear();
            probe.fire(() -> new Object[] {2});
            assertThat(recorder.fires()).extracting(fire -> fire.arg(0)).containsExactly(2L);
        }
    }

    @Test
    void everyFireOfManyThreadsIsRecorded() throws Exception {
        int threads = 8;
        int firesPerThread = 2_000;
        try (DTraceProvider provider = DTraceProvider.create("recorder_threads")) {
            Probe probe = provider.addProbe("p", "int thread", "int sequence", "char * text");
            provider.enable();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> firing = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    Thread started = new Thread(() -> {
                        awaitQuietly(start);
                        for (int i = 0; i < firesPerThread; i++) {
                            int sequence = i;
                            probe.fire(() -> new Object[] {thread, sequence, thread + "/" + sequence});
                        }
                    }, "firing-" + t);
                    started.start();
                    firing.add(started);
                }
                start.countDown();
                for (Thread thread : firing) {
                    thread.join();
                }
                List<ProbeRecorder.Fire> fires = recorder.fires("p");
                assertThat(fires).hasSize(threads * firesPerThread);
                Set<String> distinct = fires.stream().map(fire -> fire.arg(0) + "/" + fire.arg(1))
                        .collect(Collectors.toSet());
                assertThat(distinct).hasSize(threads * firesPerThread);
                assertThat(fires).allMatch(fire -> fire.arg("text").equals(fire.arg(0) + "/" + fire.arg(1))
                        && fire.thread().equals("firing-" + fire.arg(0)));
                assertThat(probe.failureCount()).isZero();
            }
        }
    }

    @Test
    void attachNeedsAProvider() {
        assertThatThrownBy(ProbeRecorder::attach).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ProbeRecorder.attach needs at least one DTraceProvider");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
