/**
 * {@code json} probe arguments written by the application's Jackson 3 mapper, bounded like dtrace-core's built-in
 * encoder. Without Jackson the provider uses the built-in encoder.
 */
package io.github.dtraceprovider.spring.json;
