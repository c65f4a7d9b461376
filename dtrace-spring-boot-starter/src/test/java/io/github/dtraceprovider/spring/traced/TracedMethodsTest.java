package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.Traced;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxy passes the same {@code Method} object for every bean it serves, so the method alone must not decide which
 * bean class a call reports.
 */
class TracedMethodsTest {

    private final DTraceProvider provider = DTraceProvider.create("traced_methods_test");
    private final TracedMethods methods = new TracedMethods(new MethodProbes(provider));
    private final Method greet = getMethod(Greeter.class, "greet");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void oneMethodServingTwoBeanClassesReportsEach() {
        for (int i = 0; i < 3; i++) {
            assertThat(methods.resolve(new Call(new English(), greet)).className()).isEqualTo("English");
            assertThat(methods.resolve(new Call(new French(), greet)).className()).isEqualTo("French");
        }
    }

    @Test
    void targetsThatAreProxiesOfOneClassReportTheirBeanClasses() {
        Object english = proxy(new English());
        Object french = proxy(new French());
        assertThat(english.getClass()).isSameAs(french.getClass());
        for (int i = 0; i < 3; i++) {
            assertThat(methods.resolve(new Call(english, greet)).className()).isEqualTo("English");
            assertThat(methods.resolve(new Call(french, greet)).className()).isEqualTo("French");
        }
    }

    @Test
    void aMethodIsResolvedOncePerBeanClass() {
        TracedMethod first = methods.resolve(new Call(new English(), greet));
        assertThat(methods.resolve(new Call(new English(), greet))).isSameAs(first);
        Method copy = getMethod(Greeter.class, "greet");
        assertThat(copy).isEqualTo(greet).isNotSameAs(greet);
        assertThat(methods.resolve(new Call(new English(), copy))).isSameAs(first);
    }

    private static Object proxy(Greeter target) {
        ProxyFactory factory = new ProxyFactory(target);
        factory.setInterfaces(Greeter.class);
        return factory.getProxy();
    }

    private static Method getMethod(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Greeter {
        String greet();
    }

    @Traced
    static class English implements Greeter {
        @Override
        public String greet() {
            return "hello";
        }
    }

    @Traced
    static class French implements Greeter {
        @Override
        public String greet() {
            return "bonjour";
        }
    }

    /** A call as a proxy hands it to the interceptor; only the method and the target matter here. */
    private record Call(Object target, Method method) implements MethodInvocation {

        @Override
        public Method getMethod() {
            return method;
        }

        @Override
        public Object getThis() {
            return target;
        }

        @Override
        public AccessibleObject getStaticPart() {
            return method;
        }

        @Override
        public Object[] getArguments() {
            return new Object[0];
        }

        @Override
        public Object proceed() {
            throw new UnsupportedOperationException();
        }
    }
}
