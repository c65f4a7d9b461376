/**
 * The test harness other modules share through dtrace-core's test-jar: real tracers run against a process and read
 * back ({@code Bpftrace}, {@code PerfRecord}, {@code TracerProcess}), what a tracer does to probes
 * ({@code ProbeStates}), second JVMs ({@code ChildJvm}), and skipping a test whose tool is missing ({@code Tools};
 * under CI=true a missing tool fails it instead).
 */
package io.github.dtraceprovider.testing;
