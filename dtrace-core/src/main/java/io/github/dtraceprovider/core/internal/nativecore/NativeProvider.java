package io.github.dtraceprovider.core.internal.nativecore;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.internal.backend.ProbeBackend;
import io.github.dtraceprovider.core.internal.backend.ProviderBackend;
import io.github.dtraceprovider.core.internal.definition.NativeLimits;

import static io.github.dtraceprovider.core.internal.definition.Messages.quote;

/**
 * A provider of the native core: defines its probes there, loads them into object files (in the directory the
 * application chose, else {@link DefaultObjectDirectory}'s), and points each probe at its semaphore once loaded.
 * {@link #close()} leaves the native provider to its {@link ProviderHandle}.
 */
public final class NativeProvider implements ProviderBackend {

    /**
     * Object files one enabled provider may hold: the one enable() loads, then one per probe added after it. Each
     * costs two memory mappings, which the kernel caps per process (vm.max_map_count), and the JVM needs them too.
     */
    public static final int MAX_OBJECTS = 64;

    private final String name;
    private final ProviderHandle handle;
    /** The directory the application chose, or null for {@link DefaultObjectDirectory}'s choice. */
    private final Path directory;
    private final List<NativeProbe> probes = new ArrayList<>();
    private volatile boolean enabled;
    /** Object files loaded since enable(). */
    private int objects;

    private NativeProvider(String name, ProviderHandle handle, Path directory) {
        this.name = name;
        this.handle = handle;
        this.directory = directory;
    }

    /** @throws IllegalStateException if the native core refuses the provider */
    public static NativeProvider create(String name, String module, Path directory) {
        long handle = NativeCore.dtp_provider_create(name, module);
        if (handle == 0) {
            throw new IllegalStateException("Cannot create DTrace provider " + quote(name) + ": "
                    + NativeCore.dtp_last_error());
        }
        return new NativeProvider(name, ProviderHandle.of(handle), directory);
    }

    @Override
    public ProbeBackend define(String probe, String noteName, List<ArgType> types, Consumer<ByteBuffer> semaphore) {
        if (enabled && objects >= MAX_OBJECTS) {
            throw new IllegalStateException("Cannot add probe " + quote(probe) + " to provider " + quote(name)
                    + " while it is enabled: it holds " + MAX_OBJECTS + " object files already, one per enable() and"
                    + " per probe added after it; add probes before enable(), or call disable() and enable() once"
                    + " to gather them into one object");
        }
        int[] nativeTypes = types.stream()
                .mapToInt(type -> type == ArgType.INT ? NativeLimits.DTP_ARG_INT64 : NativeLimits.DTP_ARG_STRING)
                .toArray();
        long probeHandle = NativeCore.dtp_probe_add(handle.address, noteName, nativeTypes.length, nativeTypes);
        if (probeHandle == 0) {
            throw new IllegalStateException("Cannot add probe " + quote(probe) + " to provider " + quote(name) + ": "
                    + NativeCore.dtp_last_error());
        }
        NativeProbe defined = new NativeProbe(handle, probeHandle, semaphore);
        probes.add(defined);
        return defined;
    }

    @Override
    public void loadDefined(String probe) {
        if (enabled) {
            load("Probe " + quote(probe) + " was added to provider " + quote(name)
                    + " but cannot be loaded (the next enable() tries again)");
        }
    }

    @Override
    public void enable() {
        if (probes.stream().anyMatch(probe -> !probe.isLoaded())) {
            load("Cannot enable DTrace provider " + quote(name));
        }
        ArgumentBlocks.allocate();
        enabled = true;
    }

    @Override
    public void disable() {
        // Java fires stop first: after this, no new fire passes isEnabled(); the native call then waits
        // for fires already inside native code.
        for (NativeProbe probe : probes) {
            probe.unbind();
        }
        NativeCore.dtp_provider_disable(handle.address);
        enabled = false;
        objects = 0;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void close() {
        for (NativeProbe probe : probes) {
            probe.release();
        }
    }

    /** Writes the probes not loaded yet into a new object, then points them at their semaphores. */
    private void load(String failure) {
        String problem;
        if (directory == null) {
            problem = DefaultObjectDirectory.load(handle.address);
        } else {
            // A directory the application chose is used or refused, never replaced by another one.
            problem = NativeCore.dtp_provider_enable(handle.address, directory.toString()) == 0 ? null
                    : NativeCore.dtp_last_error();
        }
        if (problem != null) {
            throw new IllegalStateException(failure + ": " + problem);
        }
        objects++;
        for (NativeProbe probe : probes) {
            if (!probe.isLoaded()) {
                probe.bind();
            }
        }
    }
}
