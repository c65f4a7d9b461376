/**
 * Not API: how the public classes do their work, public only so that they can reach it. Anything here may change or
 * go without notice, and some of it is unsafe to call: {@code NativeFire.dtpProbeFire} and the {@code NativeCore} functions
 * take raw native addresses, and a wrong one crashes the JVM.
 *
 * <p>A provider validates names and declarations here ({@code Names}, {@code ArgumentDeclarations}), takes its name in
 * {@code OpenProviders}, and has its {@code ProbeConnector} hand its probes to the {@code ProviderBackend} that
 * {@code Backends} chose once: {@code NativeProvider}, which loads them through the native core ({@code NativeCore},
 * in the directory {@code DefaultObjectDirectory} picks unless the application chose one), or {@code InertBackend}
 * where the library cannot load. A traced fire runs {@code TracedFire}: {@code ArgumentEncoder} turns the values into
 * {@code EncodedArguments}, which a block of {@code ArgumentBlocks} carries to {@code NativeFire}.
 *
 * <p>dtrace-test, released with this library, uses {@code Recorders} (which {@code OpenProviders} keeps per provider),
 * {@code FireListener} and {@code EncodedArguments} to record fires in application tests: while recorded, a probe
 * reads an always-set semaphore ({@code RecordedProbe}) and its fires go to the recorders as well as to the backend.
 */
package io.github.dtraceprovider.core.internal;
