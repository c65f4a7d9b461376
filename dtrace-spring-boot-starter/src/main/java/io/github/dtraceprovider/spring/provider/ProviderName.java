package io.github.dtraceprovider.spring.provider;

import io.github.dtraceprovider.core.DTraceProvider;

import org.springframework.util.StringUtils;

/**
 * The naming rule for the starter's provider: {@code dtrace.provider}, else {@code spring.application.name} made
 * into a valid provider name, else {@code java}.
 */
final class ProviderName {

    /** What a startup failure says about an invalid {@code dtrace.provider}. */
    static final String RULE = "a provider name is 1 to " + DTraceProvider.MAX_NAME_LENGTH
            + " characters of [A-Za-z0-9_], not starting with a digit";
    private static final int MAX_LENGTH = DTraceProvider.MAX_NAME_LENGTH;
    private static final String DEFAULT = "java";

    private ProviderName() {
    }

    /**
     * The configured name as is ({@link #isValid} decides whether it may be used), else the application name with
     * every character outside {@code [A-Za-z0-9_]} replaced by {@code _} ({@code order-service} becomes
     * {@code order_service}), prefixed with {@code _} if it starts with a digit and cut to 64 characters.
     */
    static String resolve(String configured, String applicationName) {
        if (StringUtils.hasText(configured)) {
            return configured;
        }
        if (!StringUtils.hasText(applicationName)) {
            return DEFAULT;
        }
        String name = applicationName.trim().replaceAll("[^A-Za-z0-9_]", "_");
        if (Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        return name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
    }

    /**
     * The name to try when {@code name} is taken by another open provider of this JVM (typically another application
     * context, such as a second cached test context): {@code name_2}, {@code name_3}, ...
     */
    static String alternative(String name, int attempt) {
        String suffix = "_" + attempt;
        int room = MAX_LENGTH - suffix.length();
        return (name.length() > room ? name.substring(0, room) : name) + suffix;
    }

    /** Whether dtrace-core accepts {@code name} as a provider name. */
    static boolean isValid(String name) {
        return DTraceProvider.isValidName(name);
    }
}
