package io.github.dtraceprovider.core;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.internal.ArgumentBlocks;
import io.github.dtraceprovider.core.internal.ArgumentDeclarations;
import io.github.dtraceprovider.core.internal.ArgumentDeclarations.Signature;
import io.github.dtraceprovider.core.internal.DefaultObjectDirectory;
import io.github.dtraceprovider.core.internal.NativeCore;
import io.github.dtraceprovider.core.internal.Names;
import io.github.dtraceprovider.core.internal.Warnings;

import static io.github.dtraceprovider.core.internal.Messages.quote;
import static io.github.dtraceprovider.core.internal.Preconditions.requireNonNull;

/**
 * A USDT provider created at run time: a named set of probes that tracers such as bpftrace, perf and bcc
 * see as ordinary USDT probes of this process once the provider is {@linkplain #enable() enabled}.
 *
 * <pre>{@code
 * DTraceProvider dtp = DTraceProvider.create("nodeapp");
 * Probe probe1 = dtp.addProbe("probe1", "int", "int");
 * dtp.addProbe("probe2", "char *");
 * dtp.enable();
 * probe1.fire(() -> new Object[] {1, 2});
 * dtp.fire("probe2", () -> new Object[] {"hello, dtrace"});
 * }</pre>
 *
 * <p>Argument declarations are a type optionally followed by a name: {@code "int"}, {@code "long count"},
 * {@code "char *"}, {@code "char * path"}, {@code "string path"}, {@code "json order"}. {@code int} and
 * {@code long} are signed 64-bit integers; {@code char *} and {@code string} are UTF-8 strings (null passes a
 * NULL pointer, other objects their {@code toString()}; at most 4095 bytes, and a NUL character ends the
 * string); {@code json} values are encoded by the provider's {@link JsonEncoder}. Integer arguments take any
 * {@link Number} (fractions truncated toward zero; NaN as 0 and values beyond the 64-bit range as the nearest
 * bound, both counted as failures), booleans as 0/1 and characters as their code. At most 12 arguments.
 *
 * <p>Probe names may be written DTrace-style, with hyphens ({@code order-placed}); tracers see the SDT note name,
 * where each hyphen is a double underscore ({@code order__placed}), and every method that takes a probe name
 * accepts either spelling (see {@link Probe#noteName()}).
 *
 * <p>Names are unique per process: a second provider with the same name can be created once the first
 * is {@linkplain #close() closed}. Definition methods are synchronized; firing is lock-free.
 *
 * <p>Where USDT probes are not supported ({@link #isSupported()}), providers still validate definitions
 * but stay inert: {@link #enable()} does nothing and no probe is ever enabled.
 */
public final class DTraceProvider implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.dtraceprovider");
    /** Open providers by name; guarded by itself. */
    private static final Map<String, DTraceProvider> PROVIDERS = new HashMap<>();
    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();
    /** Unknown probe names are logged once each, but a buggy caller must not make this set grow forever. */
    private static final int MAX_UNKNOWN_NAMES_LOGGED = 32;
    /**
     * Object files one enabled provider may hold: the one enable() loads, then one per probe added after it. Each
     * costs two memory mappings, which the kernel caps per process (vm.max_map_count), and the JVM needs them too.
     */
    static final int MAX_OBJECTS = 64;

    private final String name;
    private final String module;
    /** The directory the application chose, or null for {@link DefaultObjectDirectory}'s choice. */
    private final Path directory;
    private final JsonEncoder jsonEncoder;
    /** The native dtp_provider, 0 when unsupported. */
    private final long handle;
    private final List<Probe> probes = new ArrayList<>();
    /** By note name, so that either spelling of a name finds its probe. */
    private final Map<String, Probe> probesByNoteName = new ConcurrentHashMap<>();
    private final Set<String> unknownNamesLogged = ConcurrentHashMap.newKeySet();
    private volatile boolean enabled;
    private boolean closed;
    /** Object files loaded since enable(); guarded by this. */
    private int objects;

    private DTraceProvider(String name, String module, Path directory, JsonEncoder jsonEncoder, long handle) {
        this.name = name;
        this.module = module;
        this.directory = directory;
        this.jsonEncoder = jsonEncoder;
        this.handle = handle;
    }

    /** Creates a provider whose module (object file name) is its name. */
    public static DTraceProvider create(String name) {
        return builder(name).build();
    }

    public static DTraceProvider create(String name, String module) {
        return builder(name).module(module).build();
    }

    public static Builder builder(String name) {
        return new Builder(requireNonNull(name, "Provider name"));
    }

    /** False when USDT probes cannot work here: not Linux, an architecture without a native build, no library. */
    public static boolean isSupported() {
        return NativeCore.isLoaded();
    }

    /** Why {@link #isSupported()} is false, in one line; empty when supported. */
    public static Optional<String> unsupportedReason() {
        return Optional.ofNullable(NativeCore.unsupportedReason());
    }

    /** Configures and creates a provider. */
    public static final class Builder {

        private final String name;
        private String module;
        private Path directory;
        private JsonEncoder jsonEncoder = JsonEncoder.simple();

        private Builder(String name) {
            this.name = name;
            this.module = name;
        }

        /** Names the object file; defaults to the provider name. Same rules as a provider name. */
        public Builder module(String module) {
            this.module = requireNonNull(module, "Module name");
            return this;
        }

        /**
         * The parent of the private directory {@code dtrace-provider-UID} that holds the object files. If it cannot
         * be used, {@link DTraceProvider#enable()} fails saying why. Default: the first of these that works: system
         * property {@code dtrace.provider.dir}, else env {@code DTRACE_PROVIDER_DIR}, else {@code java.io.tmpdir};
         * then {@code $XDG_RUNTIME_DIR}; then {@code ~/.cache}.
         */
        public Builder directory(Path dir) {
            this.directory = requireNonNull(dir, "Directory");
            return this;
        }

        /** Encodes {@code json} arguments; default {@link JsonEncoder#simple()}. */
        public Builder jsonEncoder(JsonEncoder encoder) {
            this.jsonEncoder = requireNonNull(encoder, "JSON encoder");
            return this;
        }

        /**
         * @throws IllegalArgumentException for an invalid name or module
         * @throws ProviderNameInUseException if an open provider of this process has the name
         * @throws IllegalStateException if the native core refuses the provider
         */
        public DTraceProvider build() {
            Names.checkProviderName(name);
            Names.checkModuleName(module, name);
            Path dir = directory != null ? directory.toAbsolutePath() : null;
            synchronized (PROVIDERS) {
                if (PROVIDERS.containsKey(name)) {
                    throw new ProviderNameInUseException(name, "A DTrace provider named " + quote(name)
                            + " already exists in this process; close() it before creating another");
                }
                long handle = 0;
                if (NativeCore.isLoaded()) {
                    handle = NativeCore.dtp_provider_create(name, module);
                    if (handle == 0) {
                        throw new IllegalStateException("Cannot create DTrace provider " + quote(name) + ": "
                                + NativeCore.dtp_last_error());
                    }
                } else if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.INFO, "DTrace providers are inert in this process: "
                            + NativeCore.unsupportedReason());
                }
                DTraceProvider provider = new DTraceProvider(name, module, dir, jsonEncoder, handle);
                if (handle != 0) {
                    NativeCleaner.CLEANER.register(provider, new NativeCleaner(handle));
                }
                PROVIDERS.put(name, provider);
                return provider;
            }
        }
    }

    public String name() {
        return name;
    }

    public String module() {
        return module;
    }

    /**
     * Defines a probe; see the class comment for the declarations. A probe added while the provider is enabled
     * is loaded at once, in an object of its own, without disturbing tracers attached to the others. An enabled
     * provider holds at most 64 objects (the one {@link #enable()} loaded, then one per probe added after it):
     * add probes before {@code enable()}, or call {@link #disable()} and {@code enable()} to gather them into one.
     *
     * @throws IllegalArgumentException for an invalid name or declaration, too many arguments, a duplicate name
     *     (two names with the same note name, such as {@code a-b} and {@code a__b}, are duplicates)
     * @throws IllegalStateException if the provider is closed, is enabled and holds 64 objects already (nothing is
     *     defined then), or the probe was defined but cannot be loaded
     */
    public Probe addProbe(String name, String... argDeclarations) {
        requireNonNull(name, "Probe name");
        requireNonNull(argDeclarations, "Argument declarations of probe " + quote(name));
        // Arrays.asList, not List.of: a null element must reach the validation and its message
        return addProbe(name, Arrays.asList(argDeclarations));
    }

    /** Like {@link #addProbe(String, String...)}. */
    public synchronized Probe addProbe(String name, List<String> argDeclarations) {
        Names.checkProbeName(name, this.name);
        Signature signature = ArgumentDeclarations.parse(name, argDeclarations);
        checkOpen();
        String noteName = Names.noteName(name);
        Probe existing = probesByNoteName.get(noteName);
        if (existing != null) {
            throw new IllegalArgumentException(existing.name().equals(name)
                    ? "Probe " + quote(name) + " already exists in provider " + quote(this.name)
                    : "Probe " + quote(name) + " and probe " + quote(existing.name()) + " of provider "
                            + quote(this.name) + " have the same SDT note name " + quote(noteName)
                            + " (each '-' is written '__'); rename one of them");
        }
        if (enabled && objects >= MAX_OBJECTS) {
            throw new IllegalStateException("Cannot add probe " + quote(name) + " to provider " + quote(this.name)
                    + " while it is enabled: it holds " + MAX_OBJECTS + " object files already, one per enable() and"
                    + " per probe added after it; add probes before enable(), or call disable() and enable() once"
                    + " to gather them into one object");
        }
        long probeHandle = 0;
        if (handle != 0) {
            int[] nativeTypes = signature.types().stream()
                    .mapToInt(type -> type == ArgType.INT ? NativeCore.DTP_ARG_INT64 : NativeCore.DTP_ARG_STRING)
                    .toArray();
            probeHandle = NativeCore.dtp_probe_add(handle, noteName, nativeTypes.length, nativeTypes);
            if (probeHandle == 0) {
                throw new IllegalStateException("Cannot add probe " + quote(name) + " to provider "
                        + quote(this.name) + ": " + NativeCore.dtp_last_error());
            }
        }
        Probe probe = new Probe(this, name, noteName, signature, probeHandle);
        probes.add(probe);
        probesByNoteName.put(noteName, probe);
        if (enabled) {
            load("Probe " + quote(name) + " was added to provider " + quote(this.name)
                    + " but cannot be loaded (the next enable() tries again)");
        }
        return probe;
    }

    /**
     * The probe of this name, in either spelling ({@code order-placed} or {@code order__placed}).
     *
     * @throws IllegalArgumentException naming the known probes if there is no such probe
     */
    public Probe probe(String name) {
        Probe probe = probesByNoteName.get(Names.noteName(requireNonNull(name, "Probe name")));
        if (probe == null) {
            List<Probe> known = probes();
            throw new IllegalArgumentException("No probe " + quote(name) + " in provider " + quote(this.name)
                    + (known.isEmpty() ? "; it has no probes"
                            : "; known probes: " + known.stream().map(Probe::name).collect(Collectors.joining(", "))));
        }
        return probe;
    }

    /** The probe of this name, in either spelling, if there is one. */
    public Optional<Probe> findProbe(String name) {
        return Optional.ofNullable(probesByNoteName.get(Names.noteName(requireNonNull(name, "Probe name"))));
    }

    /** The probes, in definition order. */
    public synchronized List<Probe> probes() {
        return List.copyOf(probes);
    }

    /**
     * Makes every probe traceable: writes the probes not yet loaded into a new object file and maps it.
     * Idempotent; does nothing where USDT probes are not supported.
     *
     * @throws IllegalStateException if the provider is closed or the object cannot be written or loaded
     */
    public synchronized void enable() {
        checkOpen();
        if (handle == 0) {
            return;
        }
        if (probes.stream().anyMatch(probe -> !probe.isLoaded())) {
            load("Cannot enable DTrace provider " + quote(name));
        }
        ArgumentBlocks.allocate();
        enabled = true;
    }

    /** Makes every probe inert at once, unloads the objects and deletes their files; enable() works again. */
    public synchronized void disable() {
        if (handle == 0 || closed) {
            return;
        }
        // Java fires stop first: after this, no new fire passes isEnabled(); the native call then waits
        // for fires already inside native code.
        for (Probe probe : probes) {
            probe.unbind();
        }
        NativeCore.dtp_provider_disable(handle);
        enabled = false;
        objects = 0;
    }

    /** True between {@link #enable()} and {@link #disable()}; always false where unsupported. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Disables the provider and frees its name. Idempotent. Later fires do nothing.
     *
     * <p>The native provider is not destroyed here: a thread may have read a probe's native handle just
     * before close() and be about to fire it. Firing a disabled probe is safe, firing a destroyed one is not,
     * so the native provider (a few hundred bytes once disabled) is destroyed by a Cleaner once neither this
     * provider nor any of its probes is reachable, and a fire keeps its probe reachable until it returns.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        disable();
        closed = true;
        for (Probe probe : probes) {
            probe.release();
        }
        synchronized (PROVIDERS) {
            PROVIDERS.remove(name, this);
        }
    }

    /**
     * Fires the probe of this name, in either spelling; see {@link Probe#fire}. An unknown name is logged once and
     * ignored. Never throws.
     */
    public void fire(String probeName, Supplier<Object[]> args) {
        Probe probe = probeName == null ? null : probesByNoteName.get(Names.noteName(probeName));
        if (probe != null) {
            probe.fire(args);
        } else {
            unknownProbe(probeName);
        }
    }

    /** The object files currently loaded, one per enable() (or addProbe() after it) that loaded probes. */
    public synchronized List<Path> objectPaths() {
        Set<Path> paths = new LinkedHashSet<>();
        for (Probe probe : probes) {
            probe.objectPath().ifPresent(paths::add);
        }
        return List.copyOf(paths);
    }

    @Override
    public String toString() {
        return "DTraceProvider " + name + (module.equals(name) ? "" : " (module " + module + ")")
                + (closed ? ", closed" : enabled ? ", enabled" : "");
    }

    JsonEncoder jsonEncoder() {
        return jsonEncoder;
    }

    private void load(String failure) {
        String problem;
        if (directory == null) {
            problem = DefaultObjectDirectory.load(handle);
        } else {
            // A directory the application chose is used or refused, never replaced by another one.
            problem = NativeCore.dtp_provider_enable(handle, directory.toString()) == 0 ? null
                    : NativeCore.dtp_last_error();
        }
        if (problem != null) {
            throw new IllegalStateException(failure + ": " + problem);
        }
        objects++;
        for (Probe probe : probes) {
            if (!probe.isLoaded()) {
                probe.bind();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DTrace provider " + quote(name) + " is closed");
        }
    }

    private void unknownProbe(String probeName) {
        try {
            if (unknownNamesLogged.size() < MAX_UNKNOWN_NAMES_LOGGED
                    && unknownNamesLogged.add(String.valueOf(probeName))) {
                Warnings.warn("DTrace provider " + quote(name) + ": fire() for unknown probe "
                        + (probeName == null ? "null" : quote(probeName)) + " ignored");
            }
        } catch (Throwable ignored) {
            // fire() never throws, even when describing the name fails
        }
    }

    /** Destroys a native provider once its Java provider and probes are unreachable; see {@link #close()}. */
    private static final class NativeCleaner implements Runnable {

        static final Cleaner CLEANER = Cleaner.create();

        private final long handle;

        NativeCleaner(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            NativeCore.dtp_provider_destroy(handle);
        }
    }
}
