package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.DTraceProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mirroring {@link DTraceMeterRegistry} beside an application's {@link SimpleMeterRegistry} in a composite: every
 * read of its counters, timers and summaries equals the simple registry's, whichever child the composite reads first;
 * reads before the sibling has the meter answer as an empty meter does and later find it; a failing lookup never
 * reaches the caller; updates never look anything up.
 */
class MirroredMetersTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry app = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private DTraceProvider provider;
    private MeterProbes probes;

    @BeforeEach
    void createProbes() {
        provider = DTraceProvider.create("mirrored_meters");
        probes = new MeterProbes(provider);
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    /**
     * A composite answers reads from the child that comes first in an identity-keyed map, which the test cannot
     * choose: it builds composites of two fresh registries until the first child is the wanted one, telling which it
     * is by a read made while the mirroring registry cannot see its sibling yet (0 from it, 1 from the
     * application's). Both registries are new on every attempt: with one registry kept, its identity hash could fix
     * it to the first or last slot of the composite's small map, and the other order would never come.
     */
    @ParameterizedTest(name = "starter''s registry first: {0}")
    @ValueSource(booleans = { true, false })
    void everyReadEqualsTheApplicationRegistrysWhicheverChildComesFirst(boolean dtraceFirst) {
        AtomicBoolean siblingVisible = new AtomicBoolean();
        SimpleMeterRegistry application = null;
        DTraceMeterRegistry dtrace = null;
        CompositeMeterRegistry composite = null;
        for (int attempt = 0; attempt < 200 && composite == null; attempt++) {
            SimpleMeterRegistry candidateApp = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
            DTraceMeterRegistry candidateDTrace = new DTraceMeterRegistry(probes, clock,
                    () -> siblingVisible.get() ? List.of(candidateApp) : List.of());
            CompositeMeterRegistry candidate = new CompositeMeterRegistry(clock,
                    List.of(candidateApp, candidateDTrace));
            Counter whichFirst = candidate.counter("which.first");
            whichFirst.increment();
            if ((whichFirst.count() == 0) == dtraceFirst) {
                application = candidateApp;
                dtrace = candidateDTrace;
                composite = candidate;
            }
        }
        assertThat(composite).as("a composite whose first child is the wanted one").isNotNull();
        siblingVisible.set(true);

        Counter counter = composite.counter("orders.placed", "region", "eu");
        counter.increment();
        counter.increment(2.5);
        Timer timer = Timer.builder("orders.latency").tag("region", "eu").publishPercentiles(0.5, 0.9)
                .serviceLevelObjectives(Duration.ofMillis(10)).register(composite);
        timer.record(Duration.ofMillis(3));
        timer.record(25, TimeUnit.MILLISECONDS);
        timer.record(() -> clock.add(Duration.ofMillis(7)));
        DistributionSummary summary = DistributionSummary.builder("orders.size").scale(2).publishPercentiles(0.5)
                .serviceLevelObjectives(10).register(composite);
        summary.record(3);
        summary.record(8);

        Counter appCounter = application.get("orders.placed").counter();
        assertThat(appCounter.count()).isEqualTo(3.5);
        assertSameReads(dtrace.get("orders.placed").counter(), appCounter);
        assertSameValueReads(counter, appCounter);
        Timer appTimer = application.get("orders.latency").timer();
        assertThat(appTimer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(35);
        assertSameReads(dtrace.get("orders.latency").timer(), appTimer);
        assertSameValueReads(timer, appTimer);
        DistributionSummary appSummary = application.get("orders.size").summary();
        assertThat(appSummary.totalAmount()).isEqualTo(22);
        assertSameReads(dtrace.get("orders.size").summary(), appSummary);
        assertSameValueReads(summary, appSummary);
    }

    @Test
    void readsBeforeTheSiblingHasTheMeterAnswerEmptyAndLaterFindIt() {
        DTraceMeterRegistry dtrace = new DTraceMeterRegistry(probes, clock, () -> List.of(app));
        CompositeMeterRegistry composite = new CompositeMeterRegistry(clock, List.of(dtrace));
        Counter counter = composite.counter("orders.placed");
        Timer timer = composite.timer("orders.latency");
        DistributionSummary summary = composite.summary("orders.size");
        counter.increment(4);
        timer.record(Duration.ofMillis(5));
        summary.record(6);

        Counter dtraceCounter = dtrace.get("orders.placed").counter();
        Timer dtraceTimer = dtrace.get("orders.latency").timer();
        DistributionSummary dtraceSummary = dtrace.get("orders.size").summary();
        assertThat(dtraceCounter.count()).isZero();
        assertThat(values(dtraceCounter.measure())).containsExactly("COUNT=0.0");
        assertThat(dtraceTimer.count()).isZero();
        assertThat(dtraceTimer.totalTime(TimeUnit.SECONDS)).isZero();
        assertThat(dtraceTimer.max(TimeUnit.SECONDS)).isZero();
        assertThat(dtraceTimer.takeSnapshot().count()).isZero();
        assertThat(values(dtraceTimer.measure())).containsExactly("COUNT=0.0", "TOTAL_TIME=0.0", "MAX=0.0");
        assertThat(dtraceSummary.count()).isZero();
        assertThat(dtraceSummary.totalAmount()).isZero();
        assertThat(dtraceSummary.takeSnapshot().count()).isZero();

        composite.add(app);
        counter.increment(4);
        timer.record(Duration.ofMillis(5));
        summary.record(6);
        assertThat(dtraceCounter.count()).isEqualTo(4);
        assertSameReads(dtraceCounter, app.get("orders.placed").counter());
        assertThat(dtraceTimer.count()).isEqualTo(1);
        assertSameReads(dtraceTimer, app.get("orders.latency").timer());
        assertThat(dtraceSummary.totalAmount()).isEqualTo(6);
        assertSameReads(dtraceSummary, app.get("orders.size").summary());
    }

    @Test
    void aFailingLookupAnswersEmptyThenTheSiblingOnceItSucceedsAndTheFoundMeterIsKept() {
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger lookups = new AtomicInteger();
        Supplier<List<MeterRegistry>> siblings = () -> {
            lookups.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("registry bean not creatable yet");
            }
            return List.of(app);
        };
        DTraceMeterRegistry dtrace = new DTraceMeterRegistry(probes, clock, siblings);
        CompositeMeterRegistry composite = new CompositeMeterRegistry(clock, List.of(app, dtrace));
        Counter counter = composite.counter("orders.placed");
        Timer timer = composite.timer("orders.latency");
        for (int i = 0; i < 100; i++) {
            counter.increment();
            timer.record(Duration.ofMillis(1));
        }
        assertThat(lookups).as("lookups made by updates").hasValue(0);

        Counter dtraceCounter = dtrace.get("orders.placed").counter();
        Timer dtraceTimer = dtrace.get("orders.latency").timer();
        assertThat(dtraceCounter.count()).isZero();
        assertThat(dtraceTimer.takeSnapshot().count()).isZero();
        assertThat(lookups).hasValue(2);

        failing.set(false);
        assertThat(dtraceCounter.count()).isEqualTo(100);
        assertThat(dtraceTimer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
        failing.set(true);
        int lookupsOnceFound = lookups.get();
        counter.increment();
        assertThat(dtraceCounter.count()).isEqualTo(101);
        assertSameReads(dtraceTimer, app.get("orders.latency").timer());
        assertThat(lookups).as("lookups after both meters were found").hasValue(lookupsOnceFound);
    }

    /** Every read, measure() included (a composite's differs from its children's, so composites take the next). */
    private static void assertSameReads(Counter read, Counter expected) {
        assertSameValueReads(read, expected);
        assertThat(values(read.measure())).isEqualTo(values(expected.measure()));
    }

    private static void assertSameValueReads(Counter read, Counter expected) {
        assertThat(read.count()).isEqualTo(expected.count());
    }

    private static void assertSameReads(Timer read, Timer expected) {
        assertSameValueReads(read, expected);
        assertThat(values(read.measure())).isEqualTo(values(expected.measure()));
    }

    private static void assertSameValueReads(Timer read, Timer expected) {
        TimeUnit nanos = TimeUnit.NANOSECONDS;
        long slo = Duration.ofMillis(10).toNanos();
        assertThat(read.count()).isEqualTo(expected.count());
        assertSame(read.totalTime(nanos), expected.totalTime(nanos));
        assertSame(read.max(nanos), expected.max(nanos));
        assertSame(read.mean(nanos), expected.mean(nanos));
        assertSame(read.percentile(0.5, nanos), expected.percentile(0.5, nanos));
        assertSame(read.histogramCountAtValue(slo), expected.histogramCountAtValue(slo));
        assertThat(read.baseTimeUnit()).isEqualTo(expected.baseTimeUnit());
        assertThat(read.takeSnapshot()).hasToString(expected.takeSnapshot().toString());
    }

    private static void assertSameReads(DistributionSummary read, DistributionSummary expected) {
        assertSameValueReads(read, expected);
        assertThat(values(read.measure())).isEqualTo(values(expected.measure()));
    }

    private static void assertSameValueReads(DistributionSummary read, DistributionSummary expected) {
        assertThat(read.count()).isEqualTo(expected.count());
        assertSame(read.totalAmount(), expected.totalAmount());
        assertSame(read.max(), expected.max());
        assertSame(read.mean(), expected.mean());
        assertSame(read.percentile(0.5), expected.percentile(0.5));
        assertSame(read.histogramCountAtValue(10), expected.histogramCountAtValue(10));
        assertThat(read.takeSnapshot()).hasToString(expected.takeSnapshot().toString());
    }

    /** Equal values, NaN (a percentile the meter does not publish) equal to NaN. */
    private static void assertSame(double read, double expected) {
        assertThat(Double.valueOf(read)).isEqualTo(Double.valueOf(expected));
    }

    /** Measurements as {@code STATISTIC=value}, in the meter's order. */
    private static List<String> values(Iterable<Measurement> measurements) {
        List<String> values = new ArrayList<>();
        measurements.forEach(measurement -> values.add(measurement.getStatistic() + "=" + measurement.getValue()));
        return values;
    }
}
