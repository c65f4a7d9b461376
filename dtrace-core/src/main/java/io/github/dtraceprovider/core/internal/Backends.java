package io.github.dtraceprovider.core.internal;

import java.nio.file.Path;

import io.github.dtraceprovider.core.internal.backend.InertBackend;
import io.github.dtraceprovider.core.internal.backend.ProviderBackend;
import io.github.dtraceprovider.core.internal.nativecore.DefaultObjectDirectory;
import io.github.dtraceprovider.core.internal.nativecore.NativeCore;
import io.github.dtraceprovider.core.internal.nativecore.NativeProvider;

/** Chooses a provider's backend, once, when the provider is built. */
public final class Backends {

    private Backends() {
    }

    /**
     * {@link NativeProvider} when the native library is loaded, else {@link InertBackend}.
     *
     * @param directory where object files go, or null for {@link DefaultObjectDirectory}'s choice
     * @throws IllegalStateException if the native core refuses the provider
     */
    public static ProviderBackend create(String name, String module, Path directory) {
        return NativeCore.isLoaded() ? NativeProvider.create(name, module, directory) : InertBackend.create(NativeCore.unsupportedReason());
    }
}
