package io.github.dtraceprovider.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.ArgType;

/**
 * Validates names and parses argument declarations. Everything is checked in Java, before any native
 * call, so that a bad definition fails with a clear message and leaves nothing half-created.
 */
public final class Declarations {

    /** The SDT note format and libbpf read at most 12 arguments (DTP_MAX_ARGS). */
    public static final int MAX_ARGS = 12;
    /** DTP_MAX_NAME. */
    public static final int MAX_NAME = 64;

    private static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String PROBE_IDENTIFIER = "[A-Za-z_][A-Za-z0-9_-]*";
    private static final Pattern IDENTIFIER_PATTERN = Pattern.compile(IDENTIFIER);
    private static final Pattern PROBE_PATTERN = Pattern.compile(PROBE_IDENTIFIER);
    /** "char *", "char * path", "char *path", "char*path": the star may touch either word. */
    private static final Pattern CHAR_STAR = Pattern.compile("char\\s*\\*\\s*(.*)", Pattern.DOTALL);
    private static final Pattern TYPE_AND_NAME = Pattern.compile("(\\S*)\\s*(.*)", Pattern.DOTALL);

    /** A parsed probe signature. */
    public record Signature(List<ArgType> types, List<String> names) {
    }

    private Declarations() {
    }

    /** Throws IllegalArgumentException("{what} must not be null") for a null argument. */
    public static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    public static void checkProviderName(String name) {
        requireNonNull(name, "Provider name");
        if (!isValid(IDENTIFIER_PATTERN, name)) {
            throw new IllegalArgumentException("Invalid provider name " + quote(name)
                    + ": a provider name must match " + IDENTIFIER + " and be 1 to " + MAX_NAME + " characters");
        }
    }

    public static void checkModuleName(String module, String provider) {
        requireNonNull(module, "Module name");
        if (!isValid(IDENTIFIER_PATTERN, module)) {
            throw new IllegalArgumentException("Invalid module name " + quote(module) + " for provider "
                    + quote(provider) + ": a module name must match " + IDENTIFIER + " and be 1 to " + MAX_NAME
                    + " characters");
        }
    }

    /**
     * A probe may be declared DTrace-style, with hyphens; its SDT note name, the one tracers see, must be 1 to
     * {@link #MAX_NAME} characters long.
     */
    public static void checkProbeName(String name, String provider) {
        requireNonNull(name, "Probe name");
        if (!isValid(PROBE_PATTERN, name) || noteName(name).length() > MAX_NAME) {
            throw new IllegalArgumentException("Invalid probe name " + quote(name) + " in provider "
                    + quote(provider) + ": a probe name must match " + PROBE_IDENTIFIER + " and be 1 to "
                    + MAX_NAME + " characters once each '-' is written '__' in its SDT note");
        }
    }

    /**
     * The name written into a probe's SDT note: tracers want a C identifier, so each hyphen of a DTrace-style
     * name becomes a double underscore, as in HotSpot's {@code gc__begin}. Any other name is returned unchanged.
     */
    public static String noteName(String probeName) {
        return probeName.indexOf('-') < 0 ? probeName : probeName.replace("-", "__");
    }

    /** Parses declarations such as {@code "int"}, {@code "char * path"} or {@code "json order"}. */
    public static Signature parse(String probe, List<String> declarations) {
        requireNonNull(declarations, "Argument declarations of probe " + quote(probe));
        if (declarations.size() > MAX_ARGS) {
            throw new IllegalArgumentException("Probe " + quote(probe) + " has " + declarations.size()
                    + " arguments; at most " + MAX_ARGS + " are allowed");
        }
        List<ArgType> types = new ArrayList<>(declarations.size());
        List<String> names = new ArrayList<>(declarations.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < declarations.size(); i++) {
            int ordinal = i + 1;
            String declaration = requireNonNull(declarations.get(i),
                    "Declaration of argument " + ordinal + " of probe " + quote(probe)).strip();
            ArgType type;
            String name;
            Matcher charStar = CHAR_STAR.matcher(declaration);
            if (charStar.matches()) {
                type = ArgType.STRING;
                name = charStar.group(1);
            } else {
                Matcher typeAndName = TYPE_AND_NAME.matcher(declaration);
                typeAndName.matches();
                type = switch (typeAndName.group(1)) {
                    case "int", "long" -> ArgType.INT;
                    case "string" -> ArgType.STRING;
                    case "json" -> ArgType.JSON;
                    default -> throw new IllegalArgumentException("Unknown argument type "
                            + quote(typeAndName.group(1)) + " for argument " + ordinal + " of probe " + quote(probe)
                            + ": allowed types are int, long, char *, string, json");
                };
                name = typeAndName.group(2);
            }
            if (name.isEmpty()) {
                name = "arg" + i;
            } else if (!isValid(IDENTIFIER_PATTERN, name)) {
                throw new IllegalArgumentException("Invalid argument name " + quote(name) + " for argument "
                        + ordinal + " of probe " + quote(probe) + ": an argument name must match " + IDENTIFIER
                        + " and be 1 to " + MAX_NAME + " characters");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("Duplicate argument name " + quote(name) + " in probe "
                        + quote(probe) + ": argument names must be unique");
            }
            types.add(type);
            names.add(name);
        }
        return new Signature(List.copyOf(types), List.copyOf(names));
    }

    private static boolean isValid(Pattern pattern, String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME && pattern.matcher(name).matches();
    }

    /**
     * Quotes a user-supplied value for a message, keeping the message on one line and readable: control
     * characters, line and paragraph separators (which some log viewers break lines at) and invisible format
     * characters (zero-width spaces, bidirectional overrides that reorder what a reader sees) are escaped.
     */
    public static String quote(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        StringBuilder quoted = new StringBuilder(shown.length() + 2).append('"');
        for (char c : shown.toCharArray()) {
            if (isUnprintable(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean isUnprintable(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
