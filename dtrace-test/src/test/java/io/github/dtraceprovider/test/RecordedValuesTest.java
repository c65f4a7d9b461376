package io.github.dtraceprovider.test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

import static org.assertj.core.api.Assertions.assertThat;

/** A recorder sees the values a tracer reads: coerced, encoded and cut as they go to the native probe. */
class RecordedValuesTest {

    private DTraceProvider provider;
    private ProbeRecorder recorder;

    @BeforeEach
    void recordProvider() {
        provider = DTraceProvider.create("recorded_values");
        provider.enable();
        recorder = ProbeRecorder.attach(provider);
    }

    @AfterEach
    void close() {
        recorder.close();
        provider.close();
    }

    @Test
    void integersAreRecordedAfterCoercion() {
        Probe probe = provider.addProbe("ints", "int", "int", "int", "int", "int", "int", "int", "int", "int", "int",
                "int", "int");
        probe.fire(() -> new Object[] {Long.MIN_VALUE, Long.MAX_VALUE, -2.9, 1e30,
                new BigInteger("-1" + "0".repeat(30)), new BigDecimal("12.75"), true, false, 'A', "7", null, 42});
        assertThat(recorder.fires("ints")).singleElement().extracting(ProbeRecorder.Fire::args).isEqualTo(List.of(
                Long.MIN_VALUE, Long.MAX_VALUE, -2L, Long.MAX_VALUE, Long.MIN_VALUE, 12L, 1L, 0L, 65L, 0L, 0L, 42L));
    }

    @Test
    void stringsAreRecordedAsUtf8CutOnACharacterBoundary() {
        Probe probe = provider.addProbe("strings", "char *", "char *", "char *", "char *", "string", "char *");
        String euros = "a" + "€".repeat(2000);   // 1 + 6000 bytes: cut to 1 + 1364 * 3 = 4093, not inside a '€'
        probe.fire(() -> new Object[] {"héllo ☃ 😀", euros, "x".repeat(5000), "lone \uD800 surrogate",
                "before\0after", null});
        List<Object> args = recorder.fires("strings").get(0).args();
        assertThat(args).containsExactly("héllo ☃ 😀", "a" + "€".repeat(1364), "x".repeat(4095),
                "lone ? surrogate", "before", null);
    }

    @Test
    void otherObjectsAreRecordedAsTheirStringAndJsonAsEncoded() {
        Probe probe = provider.addProbe("json", "char * text", "json order", "json none");
        probe.fire(() -> new Object[] {new StringBuilder("built"), Map.of("id", 7), null});
        ProbeRecorder.Fire fire = recorder.fires("json").get(0);
        assertThat(fire.arg("text")).isEqualTo("built");
        assertThat(fire.arg("order")).isEqualTo("{\"id\":7}");
        assertThat(fire.arg("none")).isEqualTo("null");
    }

    @Test
    void missingValuesAreRecordedAsZeroAndNullAndExtraOnesAreDropped() {
        Probe probe = provider.addProbe("counted", "int", "char *");
        probe.fire(() -> new Object[] {5});
        probe.fire(() -> new Object[] {6, "six", "extra"});
        assertThat(recorder.fires("counted")).extracting(ProbeRecorder.Fire::args)
                .containsExactly(Arrays.asList(5L, null), List.of(6L, "six"));
        assertThat(probe.failureCount()).isEqualTo(2);
    }

    @Test
    void aFireWhoseSupplierThrowsOrReturnsNullIsNotRecorded() {
        Probe probe = provider.addProbe("failing", "int");
        probe.fire(() -> {
            throw new IllegalStateException("no value");
        });
        probe.fire(() -> null);
        probe.fire(() -> new Object[] {3});
        assertThat(recorder.fires("failing")).extracting(ProbeRecorder.Fire::args).containsExactly(List.of(3L));
        assertThat(probe.failureCount()).isEqualTo(2);
    }

    @Test
    void aFireKnowsItsProbeAndThread() throws Exception {
        Probe probe = provider.addProbe("order-placed", "int id");
        Thread thread = new Thread(() -> probe.fire(() -> new Object[] {1}), "placer");
        thread.start();
        thread.join();
        ProbeRecorder.Fire fire = recorder.fires("order__placed").get(0);
        assertThat(fire.probe()).isSameAs(probe);
        assertThat(fire.name()).isEqualTo("order-placed");
        assertThat(fire.noteName()).isEqualTo("order__placed");
        assertThat(fire.provider()).isEqualTo("recorded_values");
        assertThat(fire.thread()).isEqualTo("placer");
        assertThat(fire).hasToString("recorded_values:order-placed(1) on thread \"placer\"");
    }
}
