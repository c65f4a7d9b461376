package io.github.dtraceprovider.spring.traced;

import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Reactor part of {@link AsyncResults}, loaded only when Reactor is on the classpath. A cancelled subscription
 * completes the call with a {@link CancellationException}, the way a cancelled CompletableFuture does.
 */
final class ReactorResults {

    private ReactorResults() {
    }

    static boolean isReactive(Object result, Class<?> declaredType) {
        return (result instanceof Mono<?> && declaredType.isAssignableFrom(Mono.class))
                || (result instanceof Flux<?> && declaredType.isAssignableFrom(Flux.class));
    }

    static Object whenComplete(Object result, BiConsumer<Object, Throwable> callback) {
        if (result instanceof Mono<?> mono) {
            return mono.doOnSuccess(value -> callback.accept(value, null))
                    .doOnError(error -> callback.accept(null, error))
                    .doOnCancel(() -> callback.accept(null, new CancellationException()));
        }
        return ((Flux<?>) result).doOnComplete(() -> callback.accept(null, null))
                .doOnError(error -> callback.accept(null, error))
                .doOnCancel(() -> callback.accept(null, new CancellationException()));
    }
}
