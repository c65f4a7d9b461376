/**
 * Not API: how the public classes do their work, public only so that they can reach it. Anything here and in the
 * packages below may change or go without notice, and some of it is unsafe to call: {@code NativeFire.dtpProbeFire}
 * and the {@code NativeCore} functions take raw native addresses, and a wrong one crashes the JVM.
 *
 * <p>Here, a provider takes its name in {@code OpenProviders}, gets its backend from {@code Backends}, and has its
 * {@code ProbeConnector} connect each probe to the backend, the recorders and the JSON encoder. Below, one concern
 * per package, each using only those listed after it:
 * <ul>
 *   <li>{@code fire}: what a traced fire does: {@code TracedFire} runs the supplier, {@code ArgumentEncoder} turns the
 *       values into {@code EncodedArguments}, problems are counted and logged once ({@code Warnings});</li>
 *   <li>{@code recording}: dtrace-test's recorders ({@code Recorders}, {@code FireListener}); while recorded, a probe
 *       reads an always-set semaphore ({@code RecordedProbe}) and its fires go to the recorders too;</li>
 *   <li>{@code nativecore}: the native core, called ({@code NativeCore}, {@code NativeFire}) and loaded
 *       ({@code NativeLibraryLoader}); the backend that loads probes through it ({@code NativeProvider},
 *       {@code NativeProbe}, {@code ArgumentBlocks}), in the directory {@code DefaultObjectDirectory} picks;</li>
 *   <li>{@code backend}: what a provider hands its probes to ({@code ProviderBackend}, {@code ProbeBackend},
 *       {@code InertBackend} where the library cannot load), the {@code EncodedArguments} a traced fire passes, and
 *       the {@code Semaphores} a probe reads;</li>
 *   <li>{@code cleanup}: a {@code Cleaner} whose thread lives only while an action is pending
 *       ({@code OnDemandCleaner}), so that no copy of this library keeps a thread once its providers are gone;</li>
 *   <li>{@code definition}: the rules for names and declarations ({@code Names}, {@code ArgumentDeclarations}), the
 *       native core's limits ({@code NativeLimits}) and how messages quote values ({@code Messages}).</li>
 * </ul>
 */
package io.github.dtraceprovider.core.internal;
