package io.github.dtraceprovider.spring.traced;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

/**
 * The two probes of {@link io.github.dtraceprovider.spring.Traced @Traced} methods:
 * <ul>
 * <li>{@code method-entry(char *className, char *methodName)}</li>
 * <li>{@code method-return(char *className, char *methodName, int durationNanos, char *exceptionClassOrEmpty)}</li>
 * </ul>
 * {@code className} is the simple name of the bean's class ({@code OrderService}), {@code exceptionClassOrEmpty}
 * the fully qualified class of the exception the method threw, or {@code ""}.
 */
public final class MethodProbes {

    public static final String ENTRY = "method-entry";
    public static final String RETURN = "method-return";

    private final Probe entry;
    private final Probe exit;
    private final DTraceProvider provider;

    public MethodProbes(DTraceProvider provider) {
        this.provider = provider;
        this.entry = provider.addProbe(ENTRY, "char * className", "char * methodName");
        this.exit = provider.addProbe(RETURN, "char * className", "char * methodName", "int durationNanos",
                "char * exception");
    }

    /** The provider that also holds the application probes that {@code @Traced(probe = ...)} names. */
    DTraceProvider provider() {
        return provider;
    }

    boolean isTraced() {
        return entry.isEnabled() || exit.isEnabled();
    }

    void entered(TracedMethod method) {
        if (entry.isEnabled()) {
            entry.fire(() -> new Object[] {method.className(), method.methodName()});
        }
    }

    void returned(TracedMethod method, long startNanos, Throwable error) {
        if (exit.isEnabled()) {
            long durationNanos = Math.max(1, System.nanoTime() - startNanos);
            exit.fire(() -> new Object[] {method.className(), method.methodName(), durationNanos,
                    error != null ? error.getClass().getName() : ""});
        }
    }
}
