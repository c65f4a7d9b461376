package io.github.dtraceprovider.agent.weaving;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.core.ArgType;

/**
 * One {@code --args} expression, {@code ROOT[.name...][:TYPE]}.
 * <ul>
 * <li>ROOT is {@code argN}, a parameter's name (where the class was compiled with {@code -parameters}),
 * {@code return}, {@code thrown} (the exception's class name, {@code ""} when the call returned) or
 * {@code elapsedNanos}. A probe with {@code return}, {@code thrown} or {@code elapsedNanos} fires as the method
 * returns or throws; any other fires as it is entered.</li>
 * <li>Each {@code .name} step reads a {@code getName()}/{@code isName()} getter, a {@code name()} accessor or a field
 * of the value before it.</li>
 * <li>TYPE is {@code int} (a 64-bit integer), {@code string} or {@code json}. Without one, a value the method declares
 * as an integral primitive or a boolean is an {@code int}, anything else a string.</li>
 * </ul>
 * Values are read only while the probe is traced. A step that fails (a null on the way, a field its module does not
 * open) counts as a failure of the probe, as a failing supplier does.
 */
record ArgumentExpression(String text, Root root, String parameter, List<String> path, ArgType type) {

    enum Root { ARGUMENT, RETURN, THROWN, ELAPSED }

    private static final Pattern SYNTAX = Pattern.compile(
            "([A-Za-z_$][A-Za-z0-9_$]*)((?:\\.[A-Za-z_$][A-Za-z0-9_$]*)*)(?::([a-z]+))?");
    private static final Pattern ARG_N = Pattern.compile("arg([0-9]+)");
    private static final Set<Class<?>> INTEGRAL =
            Set.of(int.class, long.class, short.class, byte.class, char.class, boolean.class);
    private static final String FORM = "ROOT[.name...][:int|string|json], where ROOT is argN, a parameter's name, "
            + "return, thrown or elapsedNanos";

    static ArgumentExpression parse(String text) {
        String expression = text.strip();
        Matcher matcher = SYNTAX.matcher(expression);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("argument '" + text + "' is not " + FORM);
        }
        String head = matcher.group(1);
        Root root = switch (head) {
            case "return" -> Root.RETURN;
            case "thrown" -> Root.THROWN;
            case "elapsedNanos" -> Root.ELAPSED;
            default -> Root.ARGUMENT;
        };
        List<String> path = matcher.group(2).isEmpty() ? List.of() : List.of(matcher.group(2).substring(1).split("\\."));
        if (root == Root.ELAPSED && !path.isEmpty()) {
            throw new IllegalArgumentException("argument '" + text + "': elapsedNanos has no properties");
        }
        ArgType type = matcher.group(3) == null ? null : switch (matcher.group(3)) {
            case "int" -> ArgType.INT;
            case "string" -> ArgType.STRING;
            case "json" -> ArgType.JSON;
            default -> throw new IllegalArgumentException("argument '" + text + "': type " + matcher.group(3)
                    + " is not int, string or json");
        };
        return new ArgumentExpression(expression, root, root == Root.ARGUMENT ? head : null, path, type);
    }

    /** Splits an {@code --args} text at its commas; an empty text is no arguments. */
    static List<ArgumentExpression> parseAll(String arguments) {
        return arguments.isBlank() ? List.of() : Arrays.stream(arguments.split(",")).map(ArgumentExpression::parse)
                .toList();
    }

    boolean atReturn() {
        return root != Root.ARGUMENT;
    }

    /**
     * Which parameter of the method this expression reads: {@code argN}, or the parameter of that name where the
     * class keeps names. Refuses what the method does not have.
     */
    int parameterIndex(Executable method) {
        Matcher argN = ARG_N.matcher(parameter);
        Parameter[] parameters = method.getParameters();
        if (argN.matches()) {
            int index = Integer.parseInt(argN.group(1));
            if (index >= parameters.length) {
                throw new IllegalArgumentException(text + ": " + describe(method) + " has " + parameters.length
                        + " parameter(s)");
            }
            return index;
        }
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isNamePresent() && parameters[i].getName().equals(parameter)) {
                return i;
            }
        }
        throw new IllegalArgumentException(text + ": " + describe(method) + " has no parameter named " + parameter
                + (parameters.length > 0 && !parameters[0].isNamePresent()
                        ? " (its class was compiled without -parameters: use " + (parameters.length == 1 ? "arg0"
                                : "arg0 to arg" + (parameters.length - 1)) + ")"
                        : ""));
    }

    /** The type the probe declares: the one given, else from what the method declares; refuses int for a non-number. */
    ArgType probeType(List<? extends Executable> methods) {
        boolean integral = methods.stream().map(this::declaredType).allMatch(t -> t != null && INTEGRAL.contains(t));
        if (type == ArgType.INT) {
            methods.stream().map(this::declaredType).filter(t -> t != null && !INTEGRAL.contains(t)
                    && !Number.class.isAssignableFrom(t) && t != Object.class && t != Character.class
                    && t != Boolean.class).findFirst().ifPresent(t -> {
                        throw new IllegalArgumentException(text + ": " + t.getName() + " is not a number");
                    });
        }
        return type != null ? type : integral ? ArgType.INT : ArgType.STRING;
    }

    /** The probe argument's name: the expression as a C identifier, {@code customer.id} as {@code customer_id}. */
    String probeArgumentName() {
        String name = (root == Root.ARGUMENT ? parameter : text.split("[.:]")[0]) + path.stream()
                .map(step -> "_" + step).reduce("", String::concat);
        return name.equals("return") ? "returned" : name.replace('$', '_');
    }

    /** The static type of the value where the method declares it, or null when only the run time knows. */
    private Class<?> declaredType(Executable method) {
        if (!path.isEmpty()) {
            return null;
        }
        return switch (root) {
            case ARGUMENT -> method.getParameterTypes()[parameterIndex(method)];
            case RETURN -> method instanceof Method m ? m.getReturnType() : void.class;
            case ELAPSED -> long.class;
            case THROWN -> String.class;
        };
    }

    /**
     * The value as a probe of this type passes it: a {@code long} for {@code int}, a string, or the object itself for
     * the JSON encoder. A call that threw returned nothing: {@code return} is then 0 or {@code ""}.
     */
    Object value(ArgType type, int parameterIndex, Object[] arguments, Object returned, Throwable thrown,
            long elapsedNanos) throws ReflectiveOperationException {
        if (root == Root.RETURN && thrown != null) {
            return type == ArgType.INT ? (Object) 0L : "";
        }
        Object value = switch (root) {
            case ARGUMENT -> arguments[parameterIndex];
            case RETURN -> returned;
            case THROWN -> thrown == null ? "" : thrown.getClass().getName();
            case ELAPSED -> elapsedNanos;
        };
        for (String step : path) {
            value = step(value, step);
        }
        return switch (type) {
            case INT -> asLong(value);
            case STRING -> String.valueOf(value);
            case JSON -> value;
        };
    }

    private long asLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Character character) {
            return character;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        throw new IllegalArgumentException(text + " is " + (value == null ? "null" : "a " + value.getClass().getName())
                + ", not a number");
    }

    private static Object step(Object value, String name) throws ReflectiveOperationException {
        if (value == null) {
            throw new NullPointerException("." + name + " of null");
        }
        String capitalized = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        for (String accessor : List.of("get" + capitalized, "is" + capitalized, name)) {
            try {
                return value.getClass().getMethod(accessor).invoke(value);
            } catch (NoSuchMethodException e) {
                // try the next spelling, then fields
            }
        }
        for (Class<?> type = value.getClass(); type != null; type = type.getSuperclass()) {
            if (Arrays.stream(type.getDeclaredFields()).anyMatch(field -> field.getName().equals(name))) {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(value);
            }
        }
        throw new NoSuchFieldException(value.getClass().getName() + " has no property " + name);
    }

    private static String describe(Executable method) {
        return method.getDeclaringClass().getSimpleName() + "#" + (method instanceof Method ? method.getName() : "<init>");
    }
}
