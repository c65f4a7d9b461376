package io.github.dtraceprovider.core.internal.definition;

/**
 * The limits and {@code dtp_arg_type} values of native/include/dtrace_provider.h, to which the Java rules refer;
 * NativeLimitsTest checks that the library enforces the same limits.
 */
public final class NativeLimits {

    public static final int DTP_MAX_ARGS = 12;
    public static final int DTP_MAX_NAME = 64;
    public static final int DTP_ARG_INT64 = 1;
    public static final int DTP_ARG_STRING = 2;

    private NativeLimits() {
    }
}
