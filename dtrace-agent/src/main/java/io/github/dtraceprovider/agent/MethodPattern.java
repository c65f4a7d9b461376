package io.github.dtraceprovider.agent;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/** {@code CLASS#METHOD}, or {@code CLASS#METHOD(TYPE,...)} for one overload: which methods a probe goes on. */
record MethodPattern(String className, String methodName, List<String> parameterTypes) {

    static MethodPattern parse(String pattern) {
        int hash = pattern.indexOf('#');
        if (hash <= 0 || hash == pattern.length() - 1) {
            throw new IllegalArgumentException("method pattern '" + pattern + "' is not CLASS#METHOD or "
                    + "CLASS#METHOD(TYPE,...)");
        }
        String method = pattern.substring(hash + 1);
        int paren = method.indexOf('(');
        if (paren < 0) {
            return new MethodPattern(pattern.substring(0, hash), method, null);
        }
        if (!method.endsWith(")")) {
            throw new IllegalArgumentException("method pattern '" + pattern + "': missing ')'");
        }
        String types = method.substring(paren + 1, method.length() - 1).strip();
        return new MethodPattern(pattern.substring(0, hash), method.substring(0, paren),
                types.isEmpty() ? List.of() : Arrays.stream(types.split(",")).map(String::strip).toList());
    }

    boolean matches(Method method) {
        return method.getName().equals(methodName) && (parameterTypes == null || parameterTypes.equals(
                Arrays.stream(method.getParameterTypes()).map(Class::getName).toList()));
    }

    @Override
    public String toString() {
        return className + "#" + methodName + (parameterTypes == null ? "" : "(" + String.join(",", parameterTypes)
                + ")");
    }
}
