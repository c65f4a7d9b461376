/**
 * The {@code dtrace} actuator endpoint: the provider and its probes, their definitions, counters and ready-to-paste
 * bpftrace commands, never an argument value; and the {@code dtracemethodprobes} endpoint, which adds and removes
 * dtrace-agent's method probes where the application allows writes.
 */
package io.github.dtraceprovider.spring.actuate;
