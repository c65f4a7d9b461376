package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dtrace.metrics.*} properties. The names are part of the starter's public contract.
 */
@ConfigurationProperties("dtrace.metrics")
public class DTraceMetricsProperties {

    /** Whether Micrometer meters fire meter-counter, meter-timer, meter-summary and meter-gauge. */
    private boolean enabled = true;

    /** How often gauges are sampled into meter-gauge while a tracer is attached to it. */
    private Duration gaugeInterval = Duration.ofSeconds(1);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getGaugeInterval() {
        return gaugeInterval;
    }

    public void setGaugeInterval(Duration gaugeInterval) {
        this.gaugeInterval = gaugeInterval;
    }
}
