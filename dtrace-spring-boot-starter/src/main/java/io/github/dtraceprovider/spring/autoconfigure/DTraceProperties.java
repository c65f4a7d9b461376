package io.github.dtraceprovider.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code dtrace.*} property of the starter. The names are part of its public contract.
 */
@ConfigurationProperties("dtrace")
public class DTraceProperties {

    /**
     * Whether the provider's probes are loaded. When false the DTraceProvider bean still exists (so application code
     * that fires its own probes keeps working) but is never enabled, and no HTTP, @Traced or meter probes are added.
     */
    private boolean enabled = true;

    /**
     * Provider name, as tracers see it (usdt::NAME:probe). Default: spring.application.name with every character
     * outside [A-Za-z0-9_] replaced by '_', else "java".
     */
    private String provider;

    /**
     * Parent of the private directory dtrace-provider-UID that holds the probe object files; a directory set here is
     * used or refused, never replaced. Default: the first that works of system property dtrace.provider.dir, else
     * environment variable DTRACE_PROVIDER_DIR, else java.io.tmpdir; then $XDG_RUNTIME_DIR; then ~/.cache.
     */
    private Path directory;

    /**
     * Application probes: probe name to its argument declarations, e.g. order-placed: ["int orderId",
     * "char * customer", json]. Types: int, long, char *, string, json, each optionally followed by an argument name.
     * The names of the starter's own probes (http-request-start, method-entry, meter-counter, ...) are taken, in
     * either spelling (a hyphen or its SDT note spelling, a double underscore).
     */
    private Map<String, List<String>> probes = new LinkedHashMap<>();

    private final Http http = new Http();

    private final TracedMethods traced = new TracedMethods();

    private final Metrics metrics = new Metrics();

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

    public Http getHttp() {
        return http;
    }

    public TracedMethods getTraced() {
        return traced;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public static class Http {

        /** Whether server requests fire http-request-start and http-request-done. */
        private boolean enabled = true;

        /**
         * Ant-style patterns of request paths (within the application, without the context path) that fire no
         * HTTP probes.
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

    public static class TracedMethods {

        /** Whether methods annotated with @Traced fire method-entry and method-return. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public static class Metrics {

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
}
