package io.github.dtraceprovider.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.traced.MethodProbes;
import io.github.dtraceprovider.spring.traced.TracedAdvisor;
import org.aopalliance.intercept.MethodInterceptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A call to a {@code @Traced} bean method while nobody traces it (BENCHMARKS.md row 3), next to the same bean with an
 * empty {@link MethodInterceptor} applied the same way, and the same bean unproxied.
 *
 * <p>"The same way" is how Spring Boot applies the starter's advisor: an infrastructure-role advisor bean picked up by
 * the infrastructure auto-proxy creator with class proxying forced, which is what Boot's {@code AopAutoConfiguration}
 * registers when AspectJ is absent. Both advisors use the starter's own pointcut, so the proxies differ only in the
 * interceptor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class TracedMethodBenchmark {

    private DTraceProvider provider;
    private GenericApplicationContext tracedContext;
    private GenericApplicationContext emptyInterceptorContext;
    private PriceCalculator unproxied;
    private PriceCalculator emptyInterceptor;
    private PriceCalculator traced;
    private long quantity;

    @Setup(Level.Trial)
    public void createBeans() {
        provider = DTraceProvider.create("bench_traced");
        MethodProbes probes = new MethodProbes(provider);
        provider.enable();
        TracedAdvisor tracedAdvisor = new TracedAdvisor(() -> probes);
        MethodInterceptor doNothing = invocation -> invocation.proceed();
        tracedContext = contextAdvisedBy(tracedAdvisor);
        emptyInterceptorContext = contextAdvisedBy(new DefaultPointcutAdvisor(tracedAdvisor.getPointcut(), doNothing));
        traced = tracedContext.getBean(PriceCalculator.class);
        emptyInterceptor = emptyInterceptorContext.getBean(PriceCalculator.class);
        unproxied = new PriceCalculator();
        if (traced.getClass() == PriceCalculator.class || emptyInterceptor.getClass() == PriceCalculator.class) {
            throw new IllegalStateException("the advisors did not proxy the bean");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        tracedContext.close();
        emptyInterceptorContext.close();
        provider.close();
    }

    @Benchmark
    public void unproxied(Blackhole bh) {
        bh.consume(unproxied.priceCents(quantity++));
    }

    @Benchmark
    public void emptyInterceptor(Blackhole bh) {
        bh.consume(emptyInterceptor.priceCents(quantity++));
    }

    @Benchmark
    public void tracedUntraced(Blackhole bh) {
        bh.consume(traced.priceCents(quantity++));
    }

    private static GenericApplicationContext contextAdvisedBy(Advisor advisor) {
        GenericApplicationContext context = new GenericApplicationContext();
        AopConfigUtils.registerAutoProxyCreatorIfNecessary(context);
        AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(context);
        context.registerBean("advisor", Advisor.class, () -> advisor,
                definition -> definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE));
        context.registerBean(PriceCalculator.class);
        context.refresh();
        return context;
    }
}
