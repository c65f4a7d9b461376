package io.github.dtraceprovider.spring.traced;

import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.function.SingletonSupplier;

/**
 * Fires the probes of a {@code @Traced} method around each call. While none of its probes is traced a call costs,
 * beyond what an empty interceptor costs, a map lookup that allocates nothing ({@link TracedMethods}) and the reads
 * of two or three semaphores. Whatever goes wrong on the probe side is logged, never thrown: the method's own
 * result or exception reaches the caller unchanged.
 */
final class TracedMethodInterceptor implements MethodInterceptor {

    private static final Log log = LogFactory.getLog(TracedMethodInterceptor.class);

    private final Supplier<MethodProbes> probes;
    private final Supplier<TracedMethods> methods;

    /**
     * Takes suppliers because interceptors are created while the bean factory is still registering post-processors:
     * the probes are looked up on the first call instead.
     */
    TracedMethodInterceptor(Supplier<MethodProbes> probes) {
        this.probes = SingletonSupplier.of(probes);
        this.methods = SingletonSupplier.of(() -> new TracedMethods(this.probes.get().provider()));
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        MethodProbes probes;
        TracedMethod method;
        try {
            probes = this.probes.get();
            method = methods.get().resolve(invocation);
        } catch (RuntimeException e) {
            log.debug("@Traced probes skipped for " + invocation.getMethod(), e);
            return invocation.proceed();
        }
        ApplicationProbeCall applicationProbe = method.applicationProbe();
        if (!probes.isTraced() && (applicationProbe == null || !applicationProbe.isTraced())) {
            return invocation.proceed();
        }
        long startNanos = System.nanoTime();
        probes.entered(method);
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable error) {
            probes.returned(method, startNanos, error);
            throw error;
        }
        Object[] arguments = invocation.getArguments();
        return AsyncResults.whenComplete(result, invocation.getMethod().getReturnType(), (value, error) -> {
            try {
                probes.returned(method, startNanos, error);
                if (error == null && applicationProbe != null) {
                    applicationProbe.fire(arguments, value);
                }
            } catch (RuntimeException e) {
                log.debug("@Traced probes failed for " + invocation.getMethod(), e);
            }
        });
    }
}
