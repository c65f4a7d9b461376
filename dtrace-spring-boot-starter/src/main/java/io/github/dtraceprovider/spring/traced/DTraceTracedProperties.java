package io.github.dtraceprovider.spring.traced;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dtrace.traced.*} properties. The names are part of the starter's public contract.
 */
@ConfigurationProperties("dtrace.traced")
public class DTraceTracedProperties {

    /** Whether methods annotated with @Traced fire method-entry and method-return. */
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
