package io.github.dtraceprovider.spring.observation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dtrace.observations.*} properties. The names are part of the starter's public contract.
 */
@ConfigurationProperties("dtrace.observations")
public class DTraceObservationProperties {

    /** Whether Micrometer observations fire observation-start and observation-stop. */
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
