package io.github.dtraceprovider.test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import io.github.dtraceprovider.core.DTraceProvider;

/**
 * The JUnit extension behind {@link RecordProbes}: one {@link ProbeRecorder} per test, over the
 * {@code DTraceProvider} beans of the Spring test context, kept in the test's extension store.
 *
 * <p>A recorder gets every fire of its providers, whatever the thread, so tests that record the same provider at the
 * same time would see each other's. Each test therefore holds a lock of each provider it records from before the
 * recorder is attached until after it is closed: with JUnit's parallel execution, such tests take turns, and tests
 * recording other providers run alongside. The providers are only known once the test's application context is
 * loaded, after JUnit has scheduled the test, which rules out JUnit's declarative {@code @ResourceLock}.
 */
public final class ProbeRecorderExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(ProbeRecorderExtension.class);

    /**
     * The lock of each provider recorded so far, guarded by itself. Weak keys: a provider goes away with its
     * application context (a context closed by {@code @DirtiesContext} or evicted from Spring's context cache).
     */
    private static final Map<DTraceProvider, ProviderLock> LOCKS = new WeakHashMap<>();
    /** Guarded by LOCKS; numbers the locks as they are made, the order a test takes those of several providers in. */
    private static long lockCount;

    @Override
    public void beforeEach(ExtensionContext context) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        Map<String, DTraceProvider> providers = application.getBeansOfType(DTraceProvider.class);
        if (providers.isEmpty()) {
            throw new IllegalStateException("@RecordProbes found no DTraceProvider bean in the application context of "
                    + context.getRequiredTestClass().getName() + "; add dtrace-spring-boot-starter or declare one");
        }
        List<ReentrantLock> held = lock(providers.values());
        try {
            context.getStore(NAMESPACE).put(Recording.class,
                    new Recording(ProbeRecorder.attach(providers.values()), held));
        } catch (RuntimeException | Error e) {
            unlock(held);
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Recording recording = context.getStore(NAMESPACE).remove(Recording.class, Recording.class);
        if (recording != null) {
            // before the locks go: no two recorders of a provider are ever open at once
            recording.recorder().close();
            unlock(recording.locks());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ProbeRecorder.class
                && parameter.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Recording recording = context.getStore(NAMESPACE).get(Recording.class, Recording.class);
        if (recording == null) {
            throw new ParameterResolutionException("A ProbeRecorder parameter is available to test methods of a class"
                    + " annotated @RecordProbes, not to " + parameter.getDeclaringExecutable());
        }
        return recording.recorder();
    }

    /**
     * Takes the lock of each of {@code providers}, always in the order the locks were made, so that two tests that
     * record two providers each cannot each hold one and wait for the other.
     */
    private static List<ReentrantLock> lock(Iterable<DTraceProvider> providers) {
        List<ProviderLock> locks = new ArrayList<>();
        synchronized (LOCKS) {
            for (DTraceProvider provider : providers) {
                locks.add(LOCKS.computeIfAbsent(provider,
                        absent -> new ProviderLock(lockCount++, new ReentrantLock())));
            }
        }
        locks.sort(Comparator.comparingLong(ProviderLock::order));
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (ProviderLock lock : locks) {
                acquire(lock.lock());
                held.add(lock.lock());
            }
        } catch (InterruptedException e) {
            unlock(held);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for another test to stop recording the same provider",
                    e);
        }
        return held;
    }

    /**
     * Waits for {@code lock} as a {@link ForkJoinPool.ManagedBlocker}: JUnit runs parallel tests on a fork-join pool,
     * which can then start another worker for tests that need no lock instead of idling while this one waits.
     */
    private static void acquire(ReentrantLock lock) throws InterruptedException {
        ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
            /** Whether this blocker took the lock: it is taken once more if the thread holds it already. */
            private boolean locked;

            @Override
            public boolean block() throws InterruptedException {
                lock.lockInterruptibly();
                locked = true;
                return true;
            }

            @Override
            public boolean isReleasable() {
                if (!locked) {
                    locked = lock.tryLock();
                }
                return locked;
            }
        });
    }

    /** In the reverse order of {@link #lock}; on the thread that took them, as JUnit runs a test on one thread. */
    private static void unlock(List<ReentrantLock> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).unlock();
        }
    }

    /**
     * A provider's lock. Reentrant, since JUnit may run another test on a thread that waits for the dynamic tests of a
     * {@code @TestFactory} it runs: waiting for a lock that thread holds would never end.
     */
    private record ProviderLock(long order, ReentrantLock lock) {
    }

    /** A test's recorder and the locks it holds until the recorder is closed. */
    private record Recording(ProbeRecorder recorder, List<ReentrantLock> locks) {
    }
}
