package io.github.dtraceprovider.core;

import io.github.dtraceprovider.core.internal.fire.SimpleJsonEncoder;

/**
 * Turns the value of a {@code json} argument into a JSON string. It runs only while the probe is traced.
 * If it throws, the argument is passed as a NULL pointer and the fire is counted as a failure.
 */
@FunctionalInterface
public interface JsonEncoder {

    String encode(Object value) throws Exception;

    /**
     * The built-in encoder: {@code null}, strings, numbers (NaN and infinities as {@code null}), booleans,
     * characters, enums (by name), maps (keys as strings), iterables, arrays, records, {@code Optional};
     * any other object as its {@code toString()} string. Values nested deeper than 32 levels, which includes
     * every cycle, are written as the string {@code "..."}. It stops writing after 4095 characters, the most a
     * probe argument carries, so a huge or endless collection costs no more than that.
     */
    static JsonEncoder simple() {
        return SimpleJsonEncoder::encode;
    }
}
