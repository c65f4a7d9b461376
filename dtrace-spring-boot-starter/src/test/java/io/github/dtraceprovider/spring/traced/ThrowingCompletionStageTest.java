package io.github.dtraceprovider.spring.traced;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @Traced} method that returns a {@code CompletionStage} whose {@code whenComplete} throws: the caller still
 * gets the stage, and {@code method-return} reports the call at once, as for a plain value, while bpftrace is
 * attached.
 */
class ThrowingCompletionStageTest {

    private static final long PID = ProcessHandle.current().pid();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void theStageReachesTheCallerAndTheReturnIsReportedAtOnce() {
        Bpftrace.assumeAvailable();
        try (DTraceProvider provider = DTraceProvider.create("throwing_stage")) {
            MethodProbes probes = new MethodProbes(provider);
            provider.enable();
            Postponer target = new Postponer();
            ProxyFactory factory = new ProxyFactory(target);
            factory.addAdvisor(new TracedAdvisor(() -> probes));
            Postponer proxy = (Postponer) factory.getProxy();
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::throwing_stage:method__return"
                    + " { printf(\"return %s.%s [%s]\\n\", str(arg0), str(arg1), str(arg3)); }")) {
                awaitTraced(provider.probe(MethodProbes.RETURN));
                CompletionStage<String> stage = proxy.later();
                assertThat(stage).isSameAs(target.stage);
                // The semaphore is set before bpftrace's program is attached: call until a return arrives.
                bpftrace.awaitLine("return Postponer.later \\[\\]", TIMEOUT, proxy::later);
                target.stage.complete("done");
                assertThat(bpftrace.stop()).as("no return reported again when the stage completes")
                        .containsOnly("return Postponer.later []");
            }
        }
    }

    @Traced
    static class Postponer {

        final RefusingStage stage = new RefusingStage();

        public CompletionStage<String> later() {
            return stage;
        }
    }

    /** A stage of the application's own that takes no callbacks. */
    static final class RefusingStage extends CompletableFuture<String> {

        @Override
        public CompletableFuture<String> whenComplete(BiConsumer<? super String, ? super Throwable> action) {
            throw new UnsupportedOperationException("this stage takes no callbacks");
        }
    }
}
