package io.github.dtraceprovider.spring.traced;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.springframework.util.ClassUtils;

/**
 * Calls back when a method's result is complete: at once for plain values, when a {@code CompletionStage}
 * completes (at once if its {@code whenComplete} throws), or when a {@code Mono}/{@code Flux} terminates (Reactor is
 * optional). The callback runs once per call and never disturbs the result: a {@code CompletionStage} is returned as
 * is, a {@code Mono}/{@code Flux} gains side-effect operators only.
 */
final class AsyncResults {

    private static final boolean reactorPresent = ClassUtils.isPresent("reactor.core.publisher.Mono",
            AsyncResults.class.getClassLoader());

    private AsyncResults() {
    }

    /**
     * @param declaredType the method's return type: a reactive result is only decorated if the decorated type still
     *        fits it
     * @param callback receives the completed value or the error (unwrapped from CompletionException)
     * @return the result to hand to the caller
     */
    static Object whenComplete(Object result, Class<?> declaredType, BiConsumer<Object, Throwable> callback) {
        BiConsumer<Object, Throwable> once = once(callback);
        if (result instanceof CompletionStage<?> stage) {
            try {
                stage.whenComplete((value, error) -> once.accept(value, unwrap(error)));
            } catch (Throwable refused) {
                // A stage of the application's own may refuse callbacks: report the call now, as for a plain value.
                once.accept(result, null);
            }
            return result;
        }
        if (reactorPresent && ReactorResults.isReactive(result, declaredType)) {
            return ReactorResults.whenComplete(result, once);
        }
        once.accept(result, null);
        return result;
    }

    private static BiConsumer<Object, Throwable> once(BiConsumer<Object, Throwable> callback) {
        AtomicBoolean called = new AtomicBoolean();
        return (value, error) -> {
            if (called.compareAndSet(false, true)) {
                callback.accept(value, error);
            }
        };
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
