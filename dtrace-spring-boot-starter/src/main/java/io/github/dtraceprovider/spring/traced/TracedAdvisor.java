package io.github.dtraceprovider.spring.traced;

import java.util.function.Supplier;

import org.springframework.aop.support.DefaultPointcutAdvisor;

/**
 * Applies {@link TracedMethodInterceptor} to the methods {@link TracedPointcut} matches. A type of its own, so that
 * an application can replace it with a bean of this type.
 */
public final class TracedAdvisor extends DefaultPointcutAdvisor {

    public TracedAdvisor(Supplier<MethodProbes> probes) {
        super(new TracedPointcut(), new TracedMethodInterceptor(probes));
    }
}
