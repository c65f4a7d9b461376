package io.github.dtraceprovider.agent.weaving;

import java.util.List;

/** What {@code list} and the MXBean's {@code Probes} show of one added probe; its getters name the JMX items. */
public final class AddedMethodProbe {

    private final String provider;
    private final String name;
    private final String noteName;
    private final String method;
    private final int methods;
    private final boolean atReturn;
    private final List<String> arguments;
    private final List<String> expressions;
    private final long fires;
    private final long failures;

    AddedMethodProbe(String provider, String name, String noteName, String method, int methods, boolean atReturn,
            List<String> arguments, List<String> expressions, long fires, long failures) {
        this.provider = provider;
        this.name = name;
        this.noteName = noteName;
        this.method = method;
        this.methods = methods;
        this.atReturn = atReturn;
        this.arguments = arguments;
        this.expressions = expressions;
        this.fires = fires;
        this.failures = failures;
    }

    public String getName() {
        return name;
    }

    public String getNoteName() {
        return noteName;
    }

    public String getProvider() {
        return provider;
    }

    /** The method pattern as given: {@code CLASS#METHOD} or {@code CLASS#METHOD(TYPES)}. */
    public String getMethod() {
        return method;
    }

    /** How many methods (overloads, constructors) carry it. */
    public int getMethods() {
        return methods;
    }

    /** {@code entry}, or {@code return} for a probe that reads what the call returned, threw or took. */
    public String getFiresAt() {
        return atReturn ? "return" : "entry";
    }

    /** The probe's argument declarations, such as {@code int arg0} or {@code char * customer_name}. */
    public String[] getArguments() {
        return arguments.toArray(String[]::new);
    }

    public String[] getExpressions() {
        return expressions.toArray(String[]::new);
    }

    /** How often it fired while traced. */
    public long getFires() {
        return fires;
    }

    /** How many fires failed: an expression threw (a null on the way, a missing property); the first is logged. */
    public long getFailures() {
        return failures;
    }

    /** As {@code list} prints it; {@code attach} replies with it too, where nothing has fired yet. */
    String describe() {
        return provider + ":" + noteName + "(" + String.join(", ", arguments) + ") on " + method + ", "
                + methods + " method(s), at " + getFiresAt();
    }

    @Override
    public String toString() {
        return describe() + ", fired " + fires + ", failed " + failures;
    }
}
