package io.github.dtraceprovider.spring.http;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code dtrace.http.*} properties. The names are part of the starter's public contract.
 */
@ConfigurationProperties("dtrace.http")
public class DTraceHttpProperties {

    /** Whether server requests fire http-request-start and http-request-done. */
    private boolean enabled = true;

    /**
     * Ant-style patterns of request paths (within the application, without the context path) that fire no HTTP
     * probes. Matched against the path Spring routes on: each segment decoded, without its ';' parameters.
     */
    private List<String> exclude = List.of("/actuator/**");

    /** Whether the path argument includes the query string. Off because query strings often carry secrets. */
    private boolean includeQueryString = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getExclude() {
        return exclude;
    }

    public void setExclude(List<String> exclude) {
        this.exclude = exclude;
    }

    public boolean isIncludeQueryString() {
        return includeQueryString;
    }

    public void setIncludeQueryString(boolean includeQueryString) {
        this.includeQueryString = includeQueryString;
    }
}
