package io.github.dtraceprovider.spring.recording;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.test.ProbeRecorder;
import io.github.dtraceprovider.test.RecordProbes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With JUnit's parallel execution, each {@code @RecordProbes} test sees only its own fires, also those it makes on
 * another thread, while tests that record other providers still run alongside. The test classes below run in an
 * engine of their own (Surefire skips nested classes), started here in concurrent mode.
 */
class RecordProbesInParallelTest {

    /** Tests of one class, hence of one cached context and one provider, and the workers that run them at once. */
    private static final int TESTS = 4;
    private static final int FIRES = 20_000;

    @Test
    void testsRecordingOneProviderSeeOnlyTheirOwnFires() {
        ArrivalGate.arrived = new CountDownLatch(TESTS);
        assertAllSucceed(runInParallel(SameProviderTests.class), TESTS);
    }

    @Test
    void testsRecordingOtherProvidersRunAtTheSameTime() {
        BothRecording.recording = new CountDownLatch(2);
        assertAllSucceed(runInParallel(OneProviderTests.class, OtherProviderTests.class), 2);
    }

    private static EngineExecutionResults runInParallel(Class<?>... testClasses) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(Stream.of(testClasses).map(DiscoverySelectors::selectClass)
                        .toArray(DiscoverySelector[]::new))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism",
                        String.valueOf(TESTS))
                .execute();
    }

    /** Fails listing why each test failed, which the statistics alone would not tell. */
    private static void assertAllSucceed(EngineExecutionResults results, int tests) {
        assertThat(results.testEvents().failed().stream().map(RecordProbesInParallelTest::describe)).isEmpty();
        results.testEvents().assertStatistics(statistics -> statistics.started(tests).succeeded(tests));
    }

    private static String describe(Event failed) {
        return failed.getTestDescriptor().getDisplayName() + ": " + failed.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).map(Throwable::toString).orElse("?");
    }

    /** Fires {@code count} times on a thread of its own, as an {@code @Async} method or a server thread would. */
    private static void fireOnAnotherThread(DTraceProvider provider, int count) throws InterruptedException {
        Thread worker = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                provider.fire("tick", () -> new Object[] {1});
            }
        });
        worker.start();
        worker.join();
    }

    /**
     * Holds each test until all of them have started, before any records: without it, a fast worker might finish its
     * tests one after the other and the overlap this test is about would not happen. Declared before
     * {@code @RecordProbes}, it runs before a test waits for its turn, so it never waits for a test that waits for it.
     */
    static final class ArrivalGate implements BeforeEachCallback {

        static volatile CountDownLatch arrived;

        @Override
        public void beforeEach(ExtensionContext context) throws InterruptedException {
            arrived.countDown();
            assertThat(arrived.await(30, TimeUnit.SECONDS)).as("all %d tests started", TESTS).isTrue();
        }
    }

    /** Each test's recorder is open from its start to its end: a test that sees more fires saw another's. */
    @SpringJUnitConfig(SameProviderTests.Config.class)
    @ExtendWith(ArrivalGate.class)
    @RecordProbes
    static class SameProviderTests {

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            DTraceProvider provider() {
                DTraceProvider provider = DTraceProvider.create("parallel_same");
                provider.addProbe("tick", "int");
                return provider;
            }
        }

        @Autowired
        private DTraceProvider provider;

        @Test
        void first(ProbeRecorder recorder) throws InterruptedException {
            fireAndCount(recorder);
        }

        @Test
        void second(ProbeRecorder recorder) throws InterruptedException {
            fireAndCount(recorder);
        }

        @Test
        void third(ProbeRecorder recorder) throws InterruptedException {
            fireAndCount(recorder);
        }

        @Test
        void fourth(ProbeRecorder recorder) throws InterruptedException {
            fireAndCount(recorder);
        }

        private void fireAndCount(ProbeRecorder recorder) throws InterruptedException {
            fireOnAnotherThread(provider, FIRES);
            assertThat(recorder.fires().size()).as("fires recorded by this test").isEqualTo(FIRES);
        }
    }

    /** Lets each of two tests go on once both are recording: they would wait for ever if one held the other up. */
    static final class BothRecording {

        static volatile CountDownLatch recording;

        static void await(ProbeRecorder recorder, DTraceProvider provider) throws InterruptedException {
            recording.countDown();
            assertThat(recording.await(30, TimeUnit.SECONDS)).as("both tests recording at once").isTrue();
            fireOnAnotherThread(provider, FIRES);
            assertThat(recorder.fires().size()).as("fires recorded by this test").isEqualTo(FIRES);
        }
    }

    @SpringJUnitConfig(OneProviderTests.Config.class)
    @RecordProbes
    static class OneProviderTests {

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            DTraceProvider provider() {
                DTraceProvider provider = DTraceProvider.create("parallel_one");
                provider.addProbe("tick", "int");
                return provider;
            }
        }

        @Autowired
        private DTraceProvider provider;

        @Test
        void recordsAlongsideTheOther(ProbeRecorder recorder) throws InterruptedException {
            BothRecording.await(recorder, provider);
        }
    }

    @SpringJUnitConfig(OtherProviderTests.Config.class)
    @RecordProbes
    static class OtherProviderTests {

        @Configuration(proxyBeanMethods = false)
        static class Config {
            @Bean
            DTraceProvider provider() {
                DTraceProvider provider = DTraceProvider.create("parallel_other");
                provider.addProbe("tick", "int");
                return provider;
            }
        }

        @Autowired
        private DTraceProvider provider;

        @Test
        void recordsAlongsideTheOne(ProbeRecorder recorder) throws InterruptedException {
            BothRecording.await(recorder, provider);
        }
    }
}
