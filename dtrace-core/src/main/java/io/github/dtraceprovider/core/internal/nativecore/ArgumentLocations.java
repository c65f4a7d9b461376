package io.github.dtraceprovider.core.internal.nativecore;

import java.util.List;
import java.util.stream.IntStream;

import io.github.dtraceprovider.core.internal.definition.NativeLimits;

/**
 * Where each argument is at the probe point, asked once from the native core, which writes the same strings into
 * every SDT note: the one place that knows the architecture's calling convention.
 */
public final class ArgumentLocations {

    private static final List<String> ALL = NativeCore.isLoaded()
            ? IntStream.range(0, NativeLimits.DTP_MAX_ARGS).mapToObj(NativeCore::dtp_arg_location).toList()
            : List.of();

    private ArgumentLocations() {
    }

    /** The locations of arguments 0 to {@code count - 1}; empty where the native library is not loaded. */
    public static List<String> first(int count) {
        return ALL.isEmpty() ? List.of() : ALL.subList(0, count);
    }
}
