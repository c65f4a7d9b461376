/**
 * The public API: create a {@link io.github.dtraceprovider.core.DTraceProvider}, add
 * {@link io.github.dtraceprovider.core.Probe}s to it, enable it, and fire the probes; bpftrace, perf and other USDT
 * tracers then see them as probes of this process. Everything here is validated in Java and fails with a one-line
 * message; where USDT probes cannot work, providers are inert rather than failing.
 */
package io.github.dtraceprovider.core;
