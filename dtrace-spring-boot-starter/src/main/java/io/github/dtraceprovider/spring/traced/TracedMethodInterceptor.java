package io.github.dtraceprovider.spring.traced;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Fires the probes of a {@code @Traced} method around each call. While none of its probes is traced a call costs,
 * beyond what an empty interceptor costs, a map lookup that allocates nothing ({@link TracedMethods}) and the reads
 * of two or three semaphores. Whatever goes wrong on the probe side is logged, never thrown: the method's own
 * result or exception reaches the caller unchanged.
 */
final class TracedMethodInterceptor implements MethodInterceptor {

    private static final Log log = LogFactory.getLog(TracedMethodInterceptor.class);

    private final Supplier<MethodProbes> probes;
    /** Created on the first call; see the constructor. */
    private volatile TracedMethods methods;

    /**
     * Takes a supplier because interceptors are created while the bean factory is still registering post-processors:
     * the probes are looked up on the first call instead.
     */
    TracedMethodInterceptor(Supplier<MethodProbes> probes) {
        this.probes = probes;
    }

    /**
     * Kept small, with the traced work in a method of its own: Spring's proxy inlines this method and its
     * {@code proceed()} only while their compiled code stays small.
     */
    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        TracedMethod method = resolve(invocation);
        if (method == null || !method.isTraced()) {
            return invocation.proceed();
        }
        return proceedTraced(invocation, method);
    }

    /** The called method's probes, or null when they cannot be had (logged): the call then runs unprobed. */
    private TracedMethod resolve(MethodInvocation invocation) {
        try {
            TracedMethods methods = this.methods;
            return (methods != null ? methods : createMethods()).resolve(invocation);
        } catch (RuntimeException e) {
            log.debug("@Traced probes skipped for " + invocation.getMethod(), e);
            return null;
        }
    }

    private synchronized TracedMethods createMethods() {
        if (methods == null) {
            methods = new TracedMethods(probes.get());
        }
        return methods;
    }

    private static Object proceedTraced(MethodInvocation invocation, TracedMethod method) throws Throwable {
        MethodProbes probes = method.probes();
        long startNanos = System.nanoTime();
        probes.entered(method);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable error) {
            probes.returned(method, startNanos, error);
            throw error;
        }
        ApplicationProbeCall applicationProbe = method.applicationProbe();
        Object[] arguments = invocation.getArguments();
        // Only a call that may have fired method-entry owes a method-return: otherwise abandonment costs no cleaner.
        Runnable whenAbandoned = probes.isTraced() ? () -> abandoned(method, startNanos) : null;
        return AsyncResults.whenComplete(result, invocation.getMethod().getReturnType(), (value, error) -> {
            try {
                probes.returned(method, startNanos, error);
                if (error == null && applicationProbe != null) {
                    applicationProbe.fire(arguments, value);
                }
            } catch (RuntimeException e) {
                log.debug("@Traced probes failed for " + invocation.getMethod(), e);
            }
        }, whenAbandoned);
    }

    /** Runs on a cleaner thread, so it references the method's probes and names only, no object of the call. */
    private static void abandoned(TracedMethod method, long startNanos) {
        try {
            method.probes().abandoned(method, startNanos);
        } catch (RuntimeException e) {
            log.debug("@Traced probes failed for " + method.className() + "." + method.methodName(), e);
        }
    }
}
