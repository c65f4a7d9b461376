/**
 * The {@code dtrace} actuator endpoint: the provider and its probes, their definitions, counters and ready-to-paste
 * bpftrace commands, never an argument value.
 */
package io.github.dtraceprovider.spring.actuate;
