/**
 * Records probe fires in application tests: {@link io.github.dtraceprovider.test.ProbeRecorder}, and
 * {@link io.github.dtraceprovider.test.RecordProbes} for {@code @SpringBootTest}. Needs neither a tracer nor root, and
 * works where providers are inert.
 *
 * <p>It reaches the provider's probes through {@code io.github.dtraceprovider.core.internal}, which is not API: this
 * module is released with dtrace-core, in the same version, and must be used with that version of it.
 */
package io.github.dtraceprovider.test;
