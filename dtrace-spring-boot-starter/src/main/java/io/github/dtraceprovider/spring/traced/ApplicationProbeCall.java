package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.Method;
import java.util.Arrays;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.Traced;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * The application probe that {@code @Traced(probe = ..., args = ...)} fires, with its argument expressions parsed
 * once. A mistake in the annotation (unknown probe, wrong number of arguments, invalid SpEL) is logged once as a
 * warning and the method runs on without that probe.
 */
final class ApplicationProbeCall {

    private static final Log log = LogFactory.getLog(ApplicationProbeCall.class);
    private static final ExpressionParser parser = new SpelExpressionParser();
    private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

    private final Probe probe;
    /** Null where the class was compiled without {@code -parameters}: then only #p0, #a0 and #args name them. */
    private final String[] parameters;
    private final String[] sources;
    private final Expression[] expressions;
    private final String description;

    private ApplicationProbeCall(Probe probe, Method method, String[] sources, Expression[] expressions,
            String description) {
        this.probe = probe;
        this.parameters = parameterNames.getParameterNames(method);
        this.sources = sources;
        this.expressions = expressions;
        this.description = description;
    }

    /**
     * @param description names the method in messages, e.g. {@code @Traced on OrderService.place}
     * @return null if the annotation names no probe or names it wrongly
     */
    static ApplicationProbeCall prepare(Traced traced, Method method, DTraceProvider provider, String description) {
        if (traced.probe().isEmpty()) {
            if (traced.args().length > 0) {
                log.warn(description + " has args but no probe; they are ignored");
            }
            return null;
        }
        Probe probe;
        try {
            probe = provider.probe(traced.probe());
        } catch (IllegalArgumentException e) {
            log.warn(description + " names an unknown probe: " + e.getMessage() + "; declare it in dtrace.probes");
            return null;
        }
        String[] sources = traced.args();
        if (sources.length != probe.argTypes().size()) {
            log.warn(description + " gives " + sources.length + " argument expressions " + Arrays.toString(sources)
                    + " but probe '" + probe.name() + "' has " + probe.argTypes().size() + " arguments "
                    + probe.argNames() + "; the probe is not fired");
            return null;
        }
        Expression[] expressions = new Expression[sources.length];
        for (int i = 0; i < sources.length; i++) {
            try {
                expressions[i] = parser.parseExpression(sources[i]);
            } catch (ParseException e) {
                log.warn(description + " argument " + i + " '" + sources[i] + "' is not a valid SpEL expression: "
                        + e.getSimpleMessage() + "; the probe is not fired");
                return null;
            }
        }
        return new ApplicationProbeCall(probe, method, sources, expressions, description);
    }

    boolean isTraced() {
        return probe.isEnabled();
    }

    /**
     * Fires the probe if traced. An expression that fails to evaluate skips the fire; dtrace-core counts it in the
     * probe's failure count and logs the first one with this message.
     */
    void fire(Object[] arguments, Object result) {
        probe.fire(() -> evaluate(arguments, result));
    }

    private Object[] evaluate(Object[] arguments, Object result) {
        EvaluationContext context = readOnlyContext(arguments, result);
        Object[] values = new Object[expressions.length];
        for (int i = 0; i < expressions.length; i++) {
            try {
                values[i] = expressions[i].getValue(context);
            } catch (RuntimeException e) {
                throw new ArgumentExpressionException(description + " argument '" + sources[i] + "' failed", e);
            }
        }
        return values;
    }

    /**
     * Attaching a tracer runs the expressions, so they must not be able to change what the application does: they
     * read properties ({@code #order.customer.id}) and call public instance methods of the values they are given
     * ({@code #result.size()}, a record's accessors), and nothing else. No types ({@code T(...)}), static methods,
     * constructors, bean references or assignments, and no methods called on a {@code Class}.
     */
    private EvaluationContext readOnlyContext(Object[] arguments, Object result) {
        SimpleEvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods()
                .build();
        for (int i = 0; i < arguments.length; i++) {
            context.setVariable("p" + i, arguments[i]);
            context.setVariable("a" + i, arguments[i]);
            if (parameters != null && i < parameters.length) {
                context.setVariable(parameters[i], arguments[i]);
            }
        }
        context.setVariable("args", arguments);
        context.setVariable("result", result);
        return context;
    }
}
