package io.github.dtraceprovider.spring.provider;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The provider's {@code dtrace.*} properties; each feature has its own ({@code dtrace.http.*}, ...). The names are
 * part of the starter's public contract.
 */
@ConfigurationProperties("dtrace")
public class DTraceProperties {

    /**
     * Whether the provider's probes are loaded. When false the DTraceProvider bean still exists (so application code
     * that fires its own probes keeps working) but is never enabled, and no HTTP, @Traced, meter or observation probes
     * are added.
     */
    private boolean enabled = true;

    /**
     * Provider name, as tracers see it (usdt::NAME:probe). Default: spring.application.name with every character
     * outside [A-Za-z0-9_] replaced by '_', else "java".
     */
    private String provider;

    /**
     * Parent of the private directory dtrace-provider-UID that holds the probe object files; a directory set here is
     * used or refused, never replaced. Default: dtrace-core's choice (see DTraceProvider.Builder.directory), which
     * starts with java.io.tmpdir.
     */
    private Path directory;

    /**
     * Application probes: probe name to its argument declarations, e.g. order-placed: ["int orderId",
     * "char * customer", json]. Types: int, long, char *, string, json, each optionally followed by an argument name.
     * The names of the starter's own probes (http-request-start, method-entry, meter-counter, ...) are taken, in
     * either spelling (a hyphen or its SDT note spelling, a double underscore).
     */
    private Map<String, List<String>> probes = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider;
    }

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    public Map<String, List<String>> getProbes() {
        return probes;
    }

    public void setProbes(Map<String, List<String>> probes) {
        this.probes = probes;
    }
}
