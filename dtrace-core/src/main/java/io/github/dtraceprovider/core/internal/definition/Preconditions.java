package io.github.dtraceprovider.core.internal.definition;

/**
 * Checks of what callers pass to the API. A missing value is a bad argument like any other invalid definition, so it
 * is reported as an {@link IllegalArgumentException} that names it, not as a {@link NullPointerException}.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /** Throws IllegalArgumentException("{what} must not be null") for a null argument. */
    public static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
