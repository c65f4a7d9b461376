package io.github.dtraceprovider.spring.traced;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @Traced} method that returns a {@code CompletionStage} whose {@code whenComplete} throws: the caller still
 * gets the stage, and {@code method-return} reports the call at once, as for a plain value, while the probes are
 * traced (recorded here).
 */
class ThrowingCompletionStageTest {

    @Test
    void theStageReachesTheCallerAndTheReturnIsReportedAtOnce() {
        try (DTraceProvider provider = DTraceProvider.create("throwing_stage")) {
            MethodProbes probes = new MethodProbes(provider);
            provider.enable();
            Postponer target = new Postponer();
            ProxyFactory factory = new ProxyFactory(target);
            factory.addAdvisor(new TracedAdvisor(() -> probes));
            Postponer proxy = (Postponer) factory.getProxy();
            try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
                CompletionStage<String> stage = proxy.later();
                assertThat(stage).isSameAs(target.stage);
                assertThat(recorder.fires(MethodProbes.RETURN)).singleElement()
                        .satisfies(exit -> assertThat(List.of(exit.arg("className"), exit.arg("methodName"),
                                exit.arg("exception"))).containsExactly("Postponer", "later", ""));
                target.stage.complete("done");
                assertThat(recorder.fires(MethodProbes.RETURN)).as("no return reported again when the stage completes")
                        .hasSize(1);
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
