package io.github.dtraceprovider.spring.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.ProviderNameInUseException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.PropertyResolver;

/**
 * Creates the starter's provider and declares the application probes of {@code dtrace.probes} on it, so that
 * application code can look them up as soon as the bean exists. Configuration mistakes fail startup with a message
 * that names the property.
 */
final class DTraceProviderFactory {

    private static final Log log = LogFactory.getLog(DTraceProviderFactory.class);
    /** Enough for every application context a test suite keeps open at once. */
    private static final int MAX_ATTEMPTS = 100;

    private DTraceProviderFactory() {
    }

    /**
     * @param environment gives {@code spring.application.name}, and the keys of {@code dtrace.probes} as written
     * @param reserved the names the starter's features add themselves, which {@code dtrace.probes} cannot declare
     */
    static DTraceProvider create(DTraceProperties properties, PropertyResolver environment, JsonEncoder jsonEncoder,
            List<ReservedProbeNames> reserved) {
        String applicationName = environment.getProperty("spring.application.name");
        String name = ProviderName.resolve(properties.getProvider(), applicationName);
        if (!ProviderName.isValid(name)) {
            throw new InvalidConfigurationPropertyValueException("dtrace.provider", properties.getProvider(),
                    ProviderName.RULE);
        }
        DTraceProvider provider = build(name, properties.getDirectory(), jsonEncoder);
        try {
            declare(provider, properties.getProbes(), reserved, environment);
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
        return provider;
    }

    /**
     * Provider names are unique per JVM while a provider is open. A second application context in the same JVM (a
     * parent and child, the test context cache, or another application of the same servlet container) must still
     * start, so it gets {@code name_2}, and says so.
     *
     * @param directory {@code dtrace.directory}, null for dtrace-core's default
     */
    private static DTraceProvider build(String name, Path directory, JsonEncoder jsonEncoder) {
        for (int attempt = 1; ; attempt++) {
            String candidate = attempt == 1 ? name : ProviderName.alternative(name, attempt);
            DTraceProvider.Builder builder = DTraceProvider.builder(candidate).jsonEncoder(jsonEncoder);
            if (directory != null) {
                builder.directory(directory);
            }
            try {
                DTraceProvider provider = builder.build();
                if (attempt > 1) {
                    log.warn("DTrace provider name '" + name + "' is already used by another application context or"
                            + " application in this JVM; this context's provider is '" + candidate + "'");
                }
                return provider;
            } catch (ProviderNameInUseException nameInUse) {
                if (attempt == MAX_ATTEMPTS) {
                    throw nameInUse;
                }
            }
        }
    }

    private static void declare(DTraceProvider provider, Map<String, List<String>> probes,
            List<ReservedProbeNames> reserved, PropertyResolver environment) {
        probes.forEach((probeName, arguments) -> {
            List<String> declarations = arguments != null ? arguments : List.of();
            if (reserved.stream().anyMatch(names -> names.contains(probeName))) {
                // The starter adds its own probe of this name later; failing there would not name the property.
                throw new InvalidConfigurationPropertyValueException(propertyName(probeName, environment), declarations,
                        "the starter defines a probe named \"" + probeName + "\" itself; choose another name");
            }
            try {
                provider.addProbe(probeName, declarations);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationPropertyValueException(propertyName(probeName, environment), declarations,
                        e.getMessage());
            }
        });
    }

    /**
     * {@code dtrace.probes.NAME} the way its source writes it (or its list, {@code NAME[0]}, ...), which Spring Boot's
     * failure analysis needs to find the property's origin: {@code method__entry: int} in application.yml keeps its
     * dots although {@code dtrace.probes.method__entry} is no valid configuration property name. Otherwise the way
     * Spring Boot writes it: with brackets when the key is not a plain lowercase name
     * ({@code dtrace.probes[orderPlaced]}).
     */
    static String propertyName(String probeName, PropertyResolver environment) {
        String plain = "dtrace.probes." + probeName;
        String bracketed = "dtrace.probes[" + probeName + "]";
        for (String written : List.of(plain, bracketed)) {
            if (environment.containsProperty(written) || environment.containsProperty(written + "[0]")) {
                return written;
            }
        }
        if (ConfigurationPropertyName.isValid(plain)) {
            return plain;
        }
        return ConfigurationPropertyName.isValid(bracketed) ? bracketed : plain;
    }
}
