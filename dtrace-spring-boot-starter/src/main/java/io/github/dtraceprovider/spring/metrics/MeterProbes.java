package io.github.dtraceprovider.spring.metrics;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;

/**
 * The four Micrometer probes:
 * <ul>
 * <li>{@code meter-counter(char *name, char *tags, int amount)} on every increment</li>
 * <li>{@code meter-timer(char *name, char *tags, int durationNanos)} on every recorded duration</li>
 * <li>{@code meter-summary(char *name, char *tags, int amount)} on every recorded amount</li>
 * <li>{@code meter-gauge(char *name, char *tags, int value)} for every gauge, sampled periodically while traced</li>
 * </ul>
 * Micrometer amounts are doubles and USDT arguments integers, so {@code amount} and {@code value} are in
 * thousandths: {@link #scale} rounds {@code value * 1000} (an increment of 1 reports 1000, a CPU usage gauge of 0.25
 * reports 250). Durations are whole nanoseconds. A NaN gauge (its object is gone) is not reported.
 */
public final class MeterProbes {

    public static final String COUNTER = "meter-counter";
    public static final String TIMER = "meter-timer";
    public static final String SUMMARY = "meter-summary";
    public static final String GAUGE = "meter-gauge";

    /** Amounts and gauge values are reported in thousandths. */
    public static final int SCALE = 1000;

    private final Probe counter;
    private final Probe timer;
    private final Probe summary;
    private final Probe gauge;

    public MeterProbes(DTraceProvider provider) {
        this.counter = provider.addProbe(COUNTER, "char * name", "char * tags", "int amount");
        this.timer = provider.addProbe(TIMER, "char * name", "char * tags", "int durationNanos");
        this.summary = provider.addProbe(SUMMARY, "char * name", "char * tags", "int amount");
        this.gauge = provider.addProbe(GAUGE, "char * name", "char * tags", "int value");
    }

    /** value * 1000, rounded; infinities clamp to the long range. */
    static long scale(double value) {
        return Math.round(value * SCALE);
    }

    void counted(MeterLabel label, double amount) {
        if (counter.isEnabled()) {
            counter.fire(() -> new Object[] {label.name(), label.tags(), scale(amount)});
        }
    }

    void timed(MeterLabel label, long durationNanos) {
        if (timer.isEnabled()) {
            timer.fire(() -> new Object[] {label.name(), label.tags(), durationNanos});
        }
    }

    void summarized(MeterLabel label, double amount) {
        if (summary.isEnabled()) {
            summary.fire(() -> new Object[] {label.name(), label.tags(), scale(amount)});
        }
    }

    boolean isGaugeTraced() {
        return gauge.isEnabled();
    }

    void sampled(MeterLabel label, double value) {
        if (gauge.isEnabled() && !Double.isNaN(value)) {
            gauge.fire(() -> new Object[] {label.name(), label.tags(), scale(value)});
        }
    }
}
