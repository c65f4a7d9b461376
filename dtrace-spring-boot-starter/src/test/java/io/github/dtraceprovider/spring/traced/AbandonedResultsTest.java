package io.github.dtraceprovider.spring.traced;

import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every traced call of a {@code @Traced} method fires exactly one {@code method-return}: when its result completes,
 * fails or is cancelled, or, for a result dropped before any of that can happen (a publisher never subscribed, a
 * future nobody can complete), once the garbage collector finds it unreachable. A result that can still complete is
 * never reported early.
 */
class AbandonedResultsTest {

    private static final int CALLS = 1000;
    private static final int MAX_GC_ROUNDS = 50;

    private final DTraceProvider provider = DTraceProvider.create("abandoned_results_test");
    private final MethodProbes probes = new MethodProbes(provider);
    private final Calls target = new Calls();
    private ProbeRecorder recorder;
    private Calls proxy;

    @BeforeEach
    void traced() {
        provider.enable();
        recorder = ProbeRecorder.attach(provider);
        ProxyFactory factory = new ProxyFactory(target);
        factory.addAdvisor(new TracedAdvisor(() -> probes));
        proxy = (Calls) factory.getProxy();
    }

    @AfterEach
    void close() {
        recorder.close();
        provider.close();
    }

    @Test
    void aMonoNeverSubscribedReturnsOnceCollected() {
        for (int i = 0; i < CALLS; i++) {
            proxy.mono(new Object());
        }
        assertThat(entries()).isEqualTo(CALLS);
        collectGarbageUntil(() -> returns() >= CALLS, MAX_GC_ROUNDS);
        assertThat(returns()).isEqualTo(CALLS);
    }

    @Test
    void aFluxNeverSubscribedReturnsOnceCollected() {
        for (int i = 0; i < CALLS; i++) {
            proxy.flux();
        }
        collectGarbageUntil(() -> returns() >= CALLS, MAX_GC_ROUNDS);
        assertThat(returns()).isEqualTo(CALLS);
    }

    @Test
    void aFutureNobodyCanCompleteReturnsOnceCollected() {
        for (int i = 0; i < CALLS; i++) {
            proxy.future();
        }
        collectGarbageUntil(() -> returns() >= CALLS, MAX_GC_ROUNDS);
        assertThat(returns()).isEqualTo(CALLS);
    }

    /** Abandoned calls of the same method are the control: the GC rounds that report them saw the others too. */
    @Test
    void aFutureStillReferencedIsInFlightUntilItCompletes() {
        for (int i = 0; i < CALLS; i++) {
            proxy.keptFuture();
            proxy.future();
        }
        collectGarbageUntil(() -> returns() >= CALLS, MAX_GC_ROUNDS);
        collectGarbageUntil(() -> false, 3);
        assertThat(returns()).isEqualTo(CALLS);

        target.kept.forEach(future -> future.complete("late"));
        assertThat(returns()).isEqualTo(2 * CALLS);
    }

    /**
     * WebFlux drops the publisher a controller returns once it has subscribed: the subscription alone keeps the call
     * in flight.
     */
    @Test
    void aSubscribedMonoWhosePublisherWasDroppedIsInFlightUntilItCompletes() {
        List<Sinks.One<String>> sinks = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            Sinks.One<String> sink = Sinks.one();
            sinks.add(sink);
            proxy.from(sink).subscribe();
            proxy.mono(new Object());
        }
        collectGarbageUntil(() -> returns() >= CALLS, MAX_GC_ROUNDS);
        collectGarbageUntil(() -> false, 3);
        assertThat(returns()).isEqualTo(CALLS);

        sinks.forEach(sink -> sink.tryEmitValue("late"));
        assertThat(returns()).isEqualTo(2 * CALLS);
    }

    @Test
    void completedResultsReturnOnceAndNotAgainWhenCollected() {
        for (int i = 0; i < CALLS; i++) {
            assertThat(proxy.mono(new Object()).block()).isEqualTo("m");
            assertThat(proxy.flux().collectList().block()).containsExactly("a", "b");
            CompletableFuture<String> future = proxy.future();
            future.complete("done");
            Sinks.One<String> sink = Sinks.one();
            Disposable subscription = proxy.from(sink).subscribe();
            subscription.dispose();
        }
        assertThat(returns()).isEqualTo(4 * CALLS);
        // one abandoned call more, to know that the GC rounds had their effect
        proxy.future();
        collectGarbageUntil(() -> returns() > 4 * CALLS, MAX_GC_ROUNDS);
        collectGarbageUntil(() -> false, 3);
        assertThat(returns()).isEqualTo(4 * CALLS + 1);
    }

    @Test
    void anAbandonedCallKeepsNoArgumentAlive() {
        Object argument = new Object();
        WeakReference<Object> weakArgument = new WeakReference<>(argument);
        proxy.mono(argument);
        argument = null;
        collectGarbageUntil(() -> weakArgument.get() == null, MAX_GC_ROUNDS);
    }

    private int entries() {
        return recorder.fires(MethodProbes.ENTRY).size();
    }

    private int returns() {
        return recorder.fires(MethodProbes.RETURN).size();
    }

    /**
     * Collects garbage until the condition holds, at most {@code rounds} times; the caller asserts. Each round waits until an object of
     * its own has been cleaned, so that the references that garbage collection found unreachable have been handed to
     * their cleaners.
     */
    private static void collectGarbageUntil(BooleanSupplier condition, int rounds) {
        Cleaner cleaner = Cleaner.create();
        for (int i = 0; i < rounds && !condition.getAsBoolean(); i++) {
            CountDownLatch cleaned = new CountDownLatch(1);
            cleaner.register(new Object(), cleaned::countDown);
            System.gc();
            try {
                cleaned.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Traced
    static class Calls {

        final List<CompletableFuture<String>> kept = new ArrayList<>();

        public Mono<String> mono(Object argument) {
            return Mono.just("m");
        }

        public Flux<String> flux() {
            return Flux.just("a", "b");
        }

        public CompletableFuture<String> future() {
            return new CompletableFuture<>();
        }

        public CompletableFuture<String> keptFuture() {
            CompletableFuture<String> future = new CompletableFuture<>();
            kept.add(future);
            return future;
        }

        public Mono<String> from(Sinks.One<String> sink) {
            return sink.asMono();
        }
    }
}
