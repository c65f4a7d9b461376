package io.github.dtraceprovider.core.internal.nativecore;

import io.github.dtraceprovider.core.internal.cleanup.OnDemandCleaner;

/**
 * A native dtp_provider, destroyed by a Cleaner once unreachable rather than when its provider is closed: a thread may
 * have read a probe's native handle just before close() and be about to fire it. Firing a disabled probe is safe,
 * firing a destroyed one is not, so the provider and each of its probes hold this, and a fire keeps its probe
 * reachable until it returns. The cleaner exists only while some native provider awaits destruction, so a copy of this
 * library whose providers are all gone keeps no thread.
 */
final class ProviderHandle {

    private static final OnDemandCleaner CLEANER = new OnDemandCleaner();

    /** The dtp_provider. */
    final long address;

    private ProviderHandle(long address) {
        this.address = address;
    }

    static ProviderHandle of(long address) {
        ProviderHandle handle = new ProviderHandle(address);
        CLEANER.register(handle, () -> NativeCore.dtp_provider_destroy(address));
        return handle;
    }
}
