package io.github.dtraceprovider.core.internal.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.ArgType;

import static io.github.dtraceprovider.core.internal.definition.Messages.quote;
import static io.github.dtraceprovider.core.internal.definition.Preconditions.requireNonNull;

/**
 * Parses a probe's argument declarations, a type optionally followed by a name: {@code "int"}, {@code "long count"},
 * {@code "char * path"}, {@code "string path"}, {@code "json order"}. Like the names, they are checked before any
 * native call.
 */
public final class ArgumentDeclarations {

    /** The type words a declaration may start with, in the order messages list them. */
    private static final Map<String, ArgType> TYPES = types();
    /** "char *", "char * path", "char *path", "char*path": the star may touch either word. */
    private static final Pattern CHAR_STAR = Pattern.compile("char\\s*\\*\\s*(.*)", Pattern.DOTALL);
    private static final Pattern TYPE_AND_NAME = Pattern.compile("(\\S*)\\s*(.*)", Pattern.DOTALL);

    /** A parsed probe signature. */
    public record Signature(List<ArgType> types, List<String> names) {
    }

    private ArgumentDeclarations() {
    }

    /** Parses the declarations of probe {@code probe}; at most {@link NativeLimits#DTP_MAX_ARGS}. */
    public static Signature parse(String probe, List<String> declarations) {
        requireNonNull(declarations, "Argument declarations of probe " + quote(probe));
        if (declarations.size() > NativeLimits.DTP_MAX_ARGS) {
            throw new IllegalArgumentException("Probe " + quote(probe) + " has " + declarations.size()
                    + " arguments; at most " + NativeLimits.DTP_MAX_ARGS + " are allowed");
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
                type = TYPES.get("char *");
                name = charStar.group(1);
            } else {
                Matcher typeAndName = TYPE_AND_NAME.matcher(declaration);
                typeAndName.matches();
                type = TYPES.get(typeAndName.group(1));
                if (type == null) {
                    throw new IllegalArgumentException("Unknown argument type " + quote(typeAndName.group(1))
                            + " for argument " + ordinal + " of probe " + quote(probe) + ": allowed types are "
                            + String.join(", ", TYPES.keySet()));
                }
                name = typeAndName.group(2);
            }
            if (name.isEmpty()) {
                name = "arg" + i;
            } else {
                Names.checkArgumentName(name, ordinal, probe);
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

    private static Map<String, ArgType> types() {
        Map<String, ArgType> types = new LinkedHashMap<>();
        types.put("int", ArgType.INT);
        types.put("long", ArgType.INT);
        types.put("char *", ArgType.STRING);
        types.put("string", ArgType.STRING);
        types.put("json", ArgType.JSON);
        return types;
    }
}
