/**
 * The starter's provider: the {@code DTraceProvider} bean, its name, the probes of {@code dtrace.probes}, and its
 * lifecycle with the application context ({@code dtrace.enabled}, {@code dtrace.provider}, {@code dtrace.directory},
 * {@code dtrace.probes}).
 * <p>
 * Every feature of the starter builds on this package and this package imports none of them: a feature adds its
 * probes to the provider bean and declares their names as a {@link
 * io.github.dtraceprovider.spring.provider.ReservedProbeNames} bean, and a {@code JsonEncoder} bean, where there is
 * one, writes {@code json} arguments.
 */
package io.github.dtraceprovider.spring.provider;
