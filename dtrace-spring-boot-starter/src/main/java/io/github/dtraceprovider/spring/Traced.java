package io.github.dtraceprovider.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes the methods of a Spring bean fire {@code method-entry(char *className, char *methodName)} when called and
 * {@code method-return(char *className, char *methodName, int durationNanos, char *exceptionClassOrEmpty)} when they
 * return or throw. Methods returning a {@code CompletionStage}, {@code Mono} or {@code Flux} return when the result
 * completes.
 * <p>
 * On a class it applies to every public method the class has, except those of {@code Object}; an annotation on a
 * method takes precedence over the one on its class.
 * <p>
 * It can also fire an application probe (declared in {@code dtrace.probes} or with {@code DTraceProvider.addProbe})
 * when the method completes normally, with arguments computed from the call:
 *
 * <pre>{@code
 * @Traced(probe = "order-placed", args = {"#result.id", "#order.customer", "#result.totalCents"})
 * public Order place(NewOrder order) { ... }
 * }</pre>
 *
 * The expressions are SpEL, see {@link #args()}. They are parsed once and evaluated only while a tracer is attached
 * to that probe.
 * <p>
 * The annotation works through a Spring AOP proxy, so it has the proxy's limits: a call from the bean to its own
 * method ({@code this.other()}) bypasses the proxy and fires nothing; private and final methods are not intercepted;
 * a final class is not proxied at all (the starter logs a warning). A probe never changes what the method does:
 * failures of the probes or of the expressions are logged and counted, never thrown.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Traced {

    /**
     * Name of an application probe to fire when the method completes normally, in either spelling
     * ({@code order-placed} or its note name {@code order__placed}); empty for none.
     */
    String probe() default "";

    /**
     * One SpEL expression per argument of {@link #probe()}, in order. Variables: the parameters by name
     * ({@code #order}; needs {@code javac -parameters}, which spring-boot-starter-parent and Spring Boot's Gradle
     * plugin set; without it they are null), by position ({@code #p0}, {@code #a0}), all of them ({@code #args}),
     * and the completed result ({@code #result}: the return value, the value of a CompletionStage or Mono, null for
     * void methods and Flux). They run only while the probe is traced, and can only read: properties and public
     * instance methods of those values; types, static methods, constructors, bean references and assignments fail.
     */
    String[] args() default {};
}
