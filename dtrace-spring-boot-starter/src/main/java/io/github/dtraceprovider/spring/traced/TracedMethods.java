package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.dtraceprovider.spring.Traced;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.TargetClassAware;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Resolves each {@code @Traced} method once per bean class: the names its probes report and the application probe
 * its annotation names.
 * <p>
 * Every call looks its method up, traced or not, because the method's application probe can be traced while
 * method-entry and method-return are not. So that the lookup is short, allocates nothing and does no string work, it
 * is keyed by the identity of the {@code Method} the proxy passes, the same object on every call through one proxy
 * class, in a map that is copied on each (rare) addition, and then by the target's runtime class, as one JDK proxy
 * class can serve several beans.
 */
final class TracedMethods {

    /**
     * Proxies pass the same {@code Method} on every call; should a caller pass a fresh copy each time, the identity map
     * stops growing here, and its calls take the equality-keyed path.
     */
    private static final int MAX_REMEMBERED = 4096;

    private final MethodProbes probes;
    /** Every resolution, by method and bean class. */
    private final Map<MethodClassKey, TracedMethod> resolved = new ConcurrentHashMap<>();
    /** The same by the identity of the method and the target's runtime class, where that class tells the bean class. */
    private volatile Map<Method, Resolutions> byRuntimeClass = new IdentityHashMap<>();

    TracedMethods(MethodProbes probes) {
        this.probes = probes;
    }

    TracedMethod resolve(MethodInvocation invocation) {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> runtimeClass = target != null ? target.getClass() : method.getDeclaringClass();
        Resolutions known = byRuntimeClass.get(method);
        TracedMethod tracedMethod = known != null ? known.of(runtimeClass) : null;
        return tracedMethod != null ? tracedMethod : resolveByBeanClass(method, target, runtimeClass);
    }

    private TracedMethod resolveByBeanClass(Method method, Object target, Class<?> runtimeClass) {
        Class<?> beanClass = target != null ? AopUtils.getTargetClass(target) : runtimeClass;
        TracedMethod tracedMethod = resolved.computeIfAbsent(new MethodClassKey(method, beanClass),
                key -> resolve(method, beanClass));
        // a target that is itself a proxy shares its class with other beans: only the proxy knows its bean class
        if (!(target instanceof TargetClassAware)) {
            remember(method, runtimeClass, tracedMethod);
        }
        return tracedMethod;
    }

    private synchronized void remember(Method method, Class<?> runtimeClass, TracedMethod tracedMethod) {
        Resolutions older = byRuntimeClass.get(method);
        boolean worthAdding = older == null ? byRuntimeClass.size() < MAX_REMEMBERED : older.of(runtimeClass) == null;
        if (worthAdding) {
            Map<Method, Resolutions> copy = new IdentityHashMap<>(byRuntimeClass);
            copy.put(method, new Resolutions(runtimeClass, tracedMethod, older));
            byRuntimeClass = copy;
        }
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
                specificMethod, probes.provider(), "@Traced on " + className + "." + method.getName());
        return new TracedMethod(probes, className, method.getName(), applicationProbe);
    }

    /** One method's resolutions by the runtime class of the target, newest first. */
    private record Resolutions(Class<?> runtimeClass, TracedMethod method, Resolutions older) {

        TracedMethod of(Class<?> type) {
            for (Resolutions r = this; r != null; r = r.older) {
                if (r.runtimeClass == type) {
                    return r.method;
                }
            }
            return null;
        }
    }
}
