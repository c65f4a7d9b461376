package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.dtraceprovider.spring.Traced;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Matches the methods {@link Traced @Traced} applies to: annotated methods, and the public methods of annotated
 * classes except those declared by {@code Object}. Final classes are left alone (with a warning), because proxying
 * them would fail the bean's creation.
 */
final class TracedPointcut extends StaticMethodMatcherPointcut {

    private static final Log log = LogFactory.getLog(TracedPointcut.class);

    private final Set<Class<?>> warnedFinalClasses = ConcurrentHashMap.newKeySet();

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        if (method.getDeclaringClass() == Object.class) {
            return false;
        }
        Method specificMethod = AopUtils.getMostSpecificMethod(method, targetClass);
        boolean traced = AnnotatedElementUtils.hasAnnotation(specificMethod, Traced.class)
                || (Modifier.isPublic(method.getModifiers())
                        && AnnotatedElementUtils.hasAnnotation(targetClass, Traced.class));
        if (traced && Modifier.isFinal(targetClass.getModifiers())) {
            if (warnedFinalClasses.add(targetClass)) {
                log.warn("@Traced on " + targetClass.getName() + " has no effect: a final class cannot be proxied");
            }
            return false;
        }
        return traced;
    }
}
