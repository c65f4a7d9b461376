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
 * the fully qualified class of the exception the method threw, {@link #ABANDONED} for a result dropped before it
 * completed, or {@code ""}.
 */
public final class MethodProbes {

    public static final String ENTRY = "method-entry";
    public static final String RETURN = "method-return";
    /**
     * What {@code method-return} reports instead of an exception class for a call whose asynchronous result was
     * garbage collected before it completed (a publisher never subscribed, a future nobody could complete).
     */
    public static final String ABANDONED = "abandoned";

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
            fireReturn(method, startNanos, error != null ? error.getClass().getName() : "");
        }
    }

    /** The call's result was dropped before it completed: it will never return otherwise. */
    void abandoned(TracedMethod method, long startNanos) {
        if (exit.isEnabled()) {
            fireReturn(method, startNanos, ABANDONED);
        }
    }

    private void fireReturn(TracedMethod method, long startNanos, String exception) {
        long durationNanos = Math.max(1, System.nanoTime() - startNanos);
        exit.fire(() -> new Object[] {method.className(), method.methodName(), durationNanos, exception});
    }
}
