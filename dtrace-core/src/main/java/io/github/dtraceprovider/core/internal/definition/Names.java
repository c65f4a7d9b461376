package io.github.dtraceprovider.core.internal.definition;

import java.util.regex.Pattern;

import static io.github.dtraceprovider.core.internal.definition.Messages.quote;
import static io.github.dtraceprovider.core.internal.definition.Preconditions.requireNonNull;

/**
 * The name rules, checked in Java before any native call so that a bad name fails with a clear message and leaves
 * nothing half-created. Providers, modules and arguments are C identifiers, as the native core requires of every
 * name it writes (its {@code names.c}). Probes may also be declared DTrace-style, with hyphens: the native core gets
 * their note name, with each hyphen written as a double underscore.
 */
public final class Names {

    /** The most characters of a name: the native core's limit, in bytes, and every allowed character is one byte. */
    public static final int MAX_LENGTH = NativeLimits.DTP_MAX_NAME;

    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String PROBE_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_-]*";
    private static final Pattern IDENTIFIER_PATTERN = Pattern.compile(IDENTIFIER);
    private static final Pattern PROBE_PATTERN = Pattern.compile(PROBE_IDENTIFIER);

    private Names() {
    }

    /** True for a C identifier of 1 to {@link #MAX_LENGTH} characters: a valid provider, module or argument name. */
    public static boolean isIdentifier(String name) {
        return name != null && isValid(IDENTIFIER_PATTERN, name);
    }

    public static void checkProviderName(String name) {
        requireNonNull(name, "Provider name");
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("Invalid provider name " + quote(name)
                    + ": a provider name must match " + IDENTIFIER + " and be 1 to " + MAX_LENGTH + " characters");
        }
    }

    public static void checkModuleName(String module, String provider) {
        requireNonNull(module, "Module name");
        if (!isIdentifier(module)) {
            throw new IllegalArgumentException("Invalid module name " + quote(module) + " for provider "
                    + quote(provider) + ": a module name must match " + IDENTIFIER + " and be 1 to " + MAX_LENGTH
                    + " characters");
        }
    }

    /** A probe's note name, the one tracers see, must be 1 to {@link #MAX_LENGTH} characters long. */
    public static void checkProbeName(String name, String provider) {
        requireNonNull(name, "Probe name");
        if (!isValid(PROBE_PATTERN, name) || noteName(name).length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Invalid probe name " + quote(name) + " in provider "
                    + quote(provider) + ": a probe name must match " + PROBE_IDENTIFIER + " and be 1 to "
                    + MAX_LENGTH + " characters once each '-' is written '__' in its SDT note");
        }
    }

    /** {@code ordinal} counts from 1. */
    public static void checkArgumentName(String name, int ordinal, String probe) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("Invalid argument name " + quote(name) + " for argument "
                    + ordinal + " of probe " + quote(probe) + ": an argument name must match " + IDENTIFIER
                    + " and be 1 to " + MAX_LENGTH + " characters");
        }
    }

    /**
     * The name written into a probe's SDT note: tracers want a C identifier, so each hyphen of a DTrace-style
     * name becomes a double underscore, as in HotSpot's {@code gc__begin}. Any other name is returned unchanged.
     */
    public static String noteName(String probeName) {
        return probeName.indexOf('-') < 0 ? probeName : probeName.replace("-", "__");
    }

    private static boolean isValid(Pattern pattern, String name) {
        return !name.isEmpty() && name.length() <= MAX_LENGTH && pattern.matcher(name).matches();
    }
}
