package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Resolves each {@code @Traced} method once per bean class: the names its probes report and the application probe
 * its annotation names.
 */
final class TracedMethods {

    private final DTraceProvider provider;
    private final Map<MethodClassKey, TracedMethod> resolved = new ConcurrentHashMap<>();

    TracedMethods(DTraceProvider provider) {
        this.provider = provider;
    }

    TracedMethod resolve(MethodInvocation invocation) {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
                : invocation.getMethod().getDeclaringClass();
        return resolved.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass),
                key -> resolve(invocation.getMethod(), targetClass));
    }

    private TracedMethod resolve(Method method, Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        Method specificMethod = AopUtils.getMostSpecificMethod(method, userClass);
        String className = userClass.getSimpleName().isEmpty() ? userClass.getName() : userClass.getSimpleName();
        Traced traced = AnnotatedElementUtils.findMergedAnnotation(specificMethod, Traced.class);
        if (traced == null) {
            traced = AnnotatedElementUtils.findMergedAnnotation(userClass, Traced.class);
        }
        ApplicationProbeCall applicationProbe = traced == null ? null : ApplicationProbeCall.prepare(traced,
                specificMethod, provider, "@Traced on " + className + "." + method.getName());
        return new TracedMethod(className, method.getName(), applicationProbe);
    }
}
