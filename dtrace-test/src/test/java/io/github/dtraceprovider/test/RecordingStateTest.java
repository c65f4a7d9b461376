package io.github.dtraceprovider.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.ProbeStates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While recorded, every probe of a provider is enabled; afterwards each is what its tracers make it. Several recorders
 * and several providers are independent. No tracer here: {@link ProbeStates#pretendTraced} sets a semaphore as one
 * would ({@link RecordingWhileTracedTest} attaches a real bpftrace).
 */
class RecordingStateTest {

    @Test
    void probesAreEnabledWhileRecordedIncludingProbesAddedMeanwhile() {
        try (DTraceProvider provider = DTraceProvider.create("recorded_state")) {
            Probe before = provider.addProbe("before", "int");
            ProbeRecorder recorder = ProbeRecorder.attach(provider);
            Probe during = provider.addProbe("during", "int");
            assertThat(before.isEnabled()).isTrue();
            assertThat(during.isEnabled()).isTrue();
            provider.enable();
            Probe enabled = provider.addProbe("enabled", "int");
            assertThat(List.of(before, during, enabled)).allMatch(Probe::isEnabled);
            during.fire(() -> new Object[] {1});
            recorder.close();
            assertThat(List.of(before, during, enabled)).noneMatch(Probe::isEnabled);
            during.fire(() -> new Object[] {2});
            assertThat(recorder.fires()).extracting(ProbeRecorder.Fire::args).containsExactly(List.of(1L));
        }
    }

    @Test
    void aProbeTracedBeforeOrWhileRecordedStaysEnabledAfterClose() {
        try (DTraceProvider provider = DTraceProvider.create("recorded_traced")) {
            Probe tracedBefore = provider.addProbe("traced-before", "int");
            Probe tracedDuring = provider.addProbe("traced-during", "int");
            Probe untraced = provider.addProbe("untraced", "int");
            provider.enable();
            ProbeStates.pretendTraced(tracedBefore);
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                ProbeStates.pretendTraced(tracedDuring);
                assertThat(List.of(tracedBefore, tracedDuring, untraced)).allMatch(Probe::isEnabled);
            }
            assertThat(tracedBefore.isEnabled()).isTrue();
            assertThat(tracedDuring.isEnabled()).isTrue();
            assertThat(untraced.isEnabled()).isFalse();
        }
    }

    @Test
    void disableAndEnableWhileRecordedAreInForceOnceTheRecorderCloses() {
        try (DTraceProvider provider = DTraceProvider.create("recorded_rebind")) {
            Probe probe = provider.addProbe("p", "int");
            provider.enable();
            ProbeStates.pretendTraced(probe);
            ProbeRecorder recorder = ProbeRecorder.attach(provider);
            provider.disable();
            assertThat(probe.isEnabled()).as("recorded, so enabled even though disabled").isTrue();
            probe.fire(() -> new Object[] {1});
            recorder.close();
            assertThat(probe.isEnabled()).as("disabled: the semaphore of the unloaded probe is gone").isFalse();
            assertThat(recorder.fires()).hasSize(1);

            ProbeRecorder again = ProbeRecorder.attach(provider);
            provider.enable();
            ProbeStates.pretendTraced(probe);
            again.close();
            assertThat(probe.isEnabled()).as("enabled and traced while recorded").isTrue();
        }
    }

    @Test
    void onlyFiresThatATracerSawCountInFireCount() {
        try (DTraceProvider provider = DTraceProvider.create("recorded_count")) {
            Probe probe = provider.addProbe("p", "int");
            provider.enable();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                probe.fire(() -> new Object[] {1});
                ProbeStates.pretendTraced(probe);
                probe.fire(() -> new Object[] {2});
                assertThat(recorder.fires()).hasSize(2);
            }
            assertThat(probe.fireCount()).isEqualTo(1);
        }
    }

    @Test
    void twoRecordersOfOneProviderEachGetEveryFireAndCloseIndependently() {
        try (DTraceProvider provider = DTraceProvider.create("recorded_twice")) {
            Probe probe = provider.addProbe("p", "int");
            ProbeRecorder first = ProbeRecorder.attach(provider);
            ProbeRecorder second = ProbeRecorder.attach(provider);
            probe.fire(() -> new Object[] {1});
            first.close();
            first.close();
            assertThat(probe.isEnabled()).as("still recorded by the second").isTrue();
            probe.fire(() -> new Object[] {2});
            second.close();
            second.close();
            assertThat(probe.isEnabled()).isFalse();
            probe.fire(() -> new Object[] {3});
            assertThat(first.fires()).extracting(ProbeRecorder.Fire::args).containsExactly(List.of(1L));
            assertThat(second.fires()).extracting(ProbeRecorder.Fire::args).containsExactly(List.of(1L), List.of(2L));
        }
    }

    @Test
    void twoProvidersAreRecordedAtOnceByOneRecorderOrByOneEach() {
        try (DTraceProvider orders = DTraceProvider.create("recorded_orders");
                DTraceProvider payments = DTraceProvider.create("recorded_payments")) {
            Probe placed = orders.addProbe("placed", "int");
            Probe paid = payments.addProbe("paid", "int");
            try (ProbeRecorder both = ProbeRecorder.attach(orders, payments);
                    ProbeRecorder ordersOnly = ProbeRecorder.attach(orders);
                    ProbeRecorder paymentsOnly = ProbeRecorder.attach(payments)) {
                placed.fire(() -> new Object[] {1});
                paid.fire(() -> new Object[] {2});
                assertThat(both.fires()).extracting(ProbeRecorder.Fire::provider)
                        .containsExactly("recorded_orders", "recorded_payments");
                assertThat(ordersOnly.fires()).extracting(ProbeRecorder.Fire::name).containsExactly("placed");
                assertThat(paymentsOnly.fires()).extracting(ProbeRecorder.Fire::name).containsExactly("paid");
                ordersOnly.close();
                both.close();
                assertThat(placed.isEnabled()).isFalse();
                assertThat(paid.isEnabled()).isTrue();
            }
            assertThat(paid.isEnabled()).isFalse();
        }
    }
}
