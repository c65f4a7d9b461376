package io.github.dtraceprovider.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --args} expression: {@code argN}, {@code return}, {@code thrown} or {@code elapsedNanos}, then any
 * number of {@code .name} steps, each a field, a {@code getName()}/{@code isName()} getter or a {@code name()}
 * accessor of the value before it. A probe with {@code return}, {@code thrown} or {@code elapsedNanos} fires as the
 * method returns or throws; any other fires as it is entered. Values are read only while the probe is traced; a step
 * that fails (a null on the way, a field the module does not open) counts as the probe's failure.
 */
record ArgumentExpression(String text, Root root, int argument, List<String> path) {

    enum Root { ARGUMENT, RETURN, THROWN, ELAPSED }

    private static final Pattern SYNTAX =
            Pattern.compile("(arg[0-9]+|return|thrown|elapsedNanos)(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    static ArgumentExpression parse(String text) {
        String expression = text.strip();
        if (!SYNTAX.matcher(expression).matches()) {
            throw new IllegalArgumentException("argument '" + text + "' is not argN, return, thrown or "
                    + "elapsedNanos, followed by any number of .name steps");
        }
        List<String> parts = List.of(expression.split("\\."));
        String head = parts.get(0);
        Root root = switch (head) {
            case "return" -> Root.RETURN;
            case "thrown" -> Root.THROWN;
            case "elapsedNanos" -> Root.ELAPSED;
            default -> Root.ARGUMENT;
        };
        if (root == Root.ELAPSED && parts.size() > 1) {
            throw new IllegalArgumentException("argument '" + text + "': elapsedNanos has no properties");
        }
        return new ArgumentExpression(expression, root, root == Root.ARGUMENT ? Integer.parseInt(head.substring(3)) : -1,
                parts.subList(1, parts.size()));
    }

    boolean atReturn() {
        return root != Root.ARGUMENT;
    }

    /** The static type of the value where the method declares it, or null when only the run time knows. */
    Class<?> declaredType(Method method) {
        if (!path.isEmpty()) {
            return null;
        }
        return switch (root) {
            case ARGUMENT -> method.getParameterTypes()[argument];
            case RETURN -> method.getReturnType();
            case ELAPSED -> long.class;
            case THROWN -> Throwable.class;
        };
    }

    Object value(Object[] arguments, Object returned, Throwable thrown, long elapsedNanos) throws ReflectiveOperationException {
        Object value = switch (root) {
            case ARGUMENT -> arguments[argument];
            case RETURN -> returned;
            case THROWN -> thrown == null ? null : thrown.getClass().getName();
            case ELAPSED -> elapsedNanos;
        };
        for (String step : path) {
            value = step(value, step);
        }
        return value;
    }

    private static Object step(Object value, String name) throws ReflectiveOperationException {
        if (value == null) {
            throw new NullPointerException("." + name + " of null");
        }
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
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
}
