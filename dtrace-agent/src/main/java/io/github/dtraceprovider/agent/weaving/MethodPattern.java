package io.github.dtraceprovider.agent.weaving;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.util.Arrays;
import java.util.List;

/**
 * {@code CLASS#METHOD}, or {@code CLASS#METHOD(TYPE,...)} for one overload, with {@code <init>} for constructors and
 * parameter types as {@link Class#getName()} spells them: which methods a probe goes on.
 */
record MethodPattern(String className, String methodName, List<String> parameterTypes) {

    static final String CONSTRUCTOR = "<init>";

    static MethodPattern parse(String pattern) {
        int hash = pattern.indexOf('#');
        if (hash <= 0 || hash == pattern.length() - 1) {
            throw new IllegalArgumentException("method '" + pattern + "' is not CLASS#METHOD or CLASS#METHOD(TYPE,...), "
                    + "such as com.acme.OrderService#place or com.acme.OrderService#place(com.acme.Order); "
                    + CONSTRUCTOR + " names the constructors");
        }
        String className = pattern.substring(0, hash).strip();
        String method = pattern.substring(hash + 1).strip();
        int paren = method.indexOf('(');
        if (paren < 0) {
            return new MethodPattern(className, method, null);
        }
        if (!method.endsWith(")")) {
            throw new IllegalArgumentException("method '" + pattern + "': missing ')'");
        }
        String types = method.substring(paren + 1, method.length() - 1).strip();
        return new MethodPattern(className, method.substring(0, paren).strip(),
                types.isEmpty() ? List.of() : Arrays.stream(types.split(",")).map(String::strip).toList());
    }

    boolean matches(Executable method) {
        return name(method).equals(methodName) && (parameterTypes == null || parameterTypes.equals(
                Arrays.stream(method.getParameterTypes()).map(Class::getName).toList()));
    }

    static String name(Executable method) {
        return method instanceof Constructor ? CONSTRUCTOR : method.getName();
    }

    @Override
    public String toString() {
        return className + "#" + methodName + (parameterTypes == null ? "" : "(" + String.join(",", parameterTypes)
                + ")");
    }
}
