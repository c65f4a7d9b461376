package io.github.dtraceprovider.core;

/** The type of a probe argument, as a tracer reads it. */
public enum ArgType {
    /** A signed 64-bit integer ({@code int} and {@code long} in declarations). */
    INT("int"),
    /** A pointer to a NUL-terminated UTF-8 string, or NULL ({@code char *} and {@code string} in declarations). */
    STRING("char *"),
    /** A value encoded as a JSON string by the provider's {@link JsonEncoder}; a tracer sees a {@code char *}. */
    JSON("json");

    private final String declaration;

    ArgType(String declaration) {
        this.declaration = declaration;
    }

    /** The canonical declaration: {@code "int"}, {@code "char *"} or {@code "json"}. */
    public String declaration() {
        return declaration;
    }
}
