package io.github.dtraceprovider.spring.traced;

import java.lang.ref.Cleaner;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.springframework.util.ClassUtils;

import io.github.dtraceprovider.core.internal.cleanup.OnDemandCleaner;

/**
 * Calls back when a method's result is complete: at once for plain values, when a {@code CompletionStage}
 * completes (at once if its {@code whenComplete} throws), or when a {@code Mono}/{@code Flux} terminates (Reactor is
 * optional). The callback runs once per call and never disturbs the result: a {@code CompletionStage} is returned as
 * is, a {@code Mono}/{@code Flux} gains side-effect operators only.
 * <p>
 * An asynchronous result can also be abandoned: dropped before it completes, a publisher nobody subscribed or a
 * future nobody can complete. Whatever can still complete the result holds the callback (the stage in its
 * completions, the publisher and each of its subscribers in their operators), so a callback that has become
 * unreachable can never be called: that is when the abandonment action runs, on a cleaner thread, instead of the
 * callback. A result that is still referenced, by a subscriber or by a caller that may complete it, is in flight.
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
     * @param whenAbandoned runs instead of the callback if an asynchronous result is abandoned, or null to watch for
     *        nothing; it must reference neither the result nor the callback, or the result could never be found
     *        unreachable (and would keep the objects it references alive)
     * @return the result to hand to the caller
     */
    static Object whenComplete(Object result, Class<?> declaredType, BiConsumer<Object, Throwable> callback,
            Runnable whenAbandoned) {
        if (result instanceof CompletionStage<?> stage) {
            Completion once = new Completion(callback, whenAbandoned);
            try {
                stage.whenComplete((value, error) -> once.accept(value, unwrap(error)));
            } catch (Throwable refused) {
                // A stage of the application's own may refuse callbacks: report the call now, as for a plain value.
                once.accept(result, null);
            }
            return result;
        }
        if (reactorPresent && ReactorResults.isReactive(result, declaredType)) {
            return ReactorResults.whenComplete(result, new Completion(callback, whenAbandoned));
        }
        callback.accept(result, null);
        return result;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * The one report of a call with an asynchronous result: the callback, or the abandonment action once this object
     * is unreachable. Completing unregisters the action, so a completed result costs the cleaner nothing more.
     */
    private static final class Completion implements BiConsumer<Object, Throwable> {

        private final BiConsumer<Object, Throwable> callback;
        private final Outcome outcome;
        /** Null where nothing watches for abandonment. */
        private final Cleaner.Cleanable abandonment;

        Completion(BiConsumer<Object, Throwable> callback, Runnable whenAbandoned) {
            this.callback = callback;
            this.outcome = new Outcome(whenAbandoned);
            this.abandonment = whenAbandoned != null ? Abandonments.cleaner.register(this, outcome) : null;
        }

        @Override
        public void accept(Object value, Throwable error) {
            if (outcome.decide()) {
                try {
                    callback.accept(value, error);
                } finally {
                    if (abandonment != null) {
                        abandonment.clean();
                    }
                }
            }
        }
    }

    /** Whether a call has been reported; the cleaner's action, so it references nothing of the call's result. */
    private static final class Outcome extends AtomicBoolean implements Runnable {

        /** Null where nothing watches for abandonment. */
        private final Runnable whenAbandoned;

        Outcome(Runnable whenAbandoned) {
            this.whenAbandoned = whenAbandoned;
        }

        /** True for the first caller only: the call is reported once, completed or abandoned. */
        boolean decide() {
            return compareAndSet(false, true);
        }

        @Override
        public void run() {
            if (whenAbandoned != null && decide()) {
                whenAbandoned.run();
            }
        }
    }

    /**
     * Holds the cleaner, whose thread runs only while a watched call is in flight: a redeployed application that
     * bundles the starter leaves no thread behind.
     */
    private static final class Abandonments {

        static final OnDemandCleaner cleaner = new OnDemandCleaner();
    }
}
