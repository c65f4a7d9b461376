package io.github.dtraceprovider.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.internal.Backends;
import io.github.dtraceprovider.core.internal.OpenProviders;
import io.github.dtraceprovider.core.internal.ProbeConnector;
import io.github.dtraceprovider.core.internal.backend.ProviderBackend;
import io.github.dtraceprovider.core.internal.definition.ArgumentDeclarations;
import io.github.dtraceprovider.core.internal.definition.ArgumentDeclarations.Signature;
import io.github.dtraceprovider.core.internal.definition.Names;
import io.github.dtraceprovider.core.internal.definition.NativeLimits;
import io.github.dtraceprovider.core.internal.nativecore.NativeCore;
import io.github.dtraceprovider.core.internal.recording.Recorders;

import static io.github.dtraceprovider.core.internal.definition.Messages.quote;
import static io.github.dtraceprovider.core.internal.definition.Preconditions.requireNonNull;

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
 * NULL pointer, other objects their {@code toString()}; at most
 * {@value io.github.dtraceprovider.core.internal.backend.EncodedArguments#MAX_STRING_BYTES} bytes, and a NUL character ends
 * the string); {@code json} values are encoded by the provider's {@link JsonEncoder}. Integer arguments take any
 * {@link Number} (fractions truncated toward zero; NaN as 0 and values beyond the 64-bit range as the nearest
 * bound, both counted as failures), booleans as 0/1 and characters as their code. At most
 * {@value NativeLimits#DTP_MAX_ARGS} arguments.
 *
 * <p>Probe names may be written DTrace-style, with hyphens ({@code order-placed}); tracers see the SDT note name,
 * where each hyphen is a double underscore ({@code order__placed}), and every method that takes a probe name
 * accepts either spelling (see {@link Probe#noteName()}).
 *
 * <p>Names are unique per process, across every copy of this library that the JVM has loaded (two web applications
 * that each bundle it, in one servlet container): a second provider with the same name can be created once the first
 * is {@linkplain #close() closed}. An open provider's name is visible in the system property
 * {@code io.github.dtraceprovider.provider.NAME} (as {@code jcmd PID VM.system_properties} lists them). Definition
 * methods are synchronized; firing is lock-free.
 *
 * <p>Where USDT probes are not supported ({@link #isSupported()}), providers still validate definitions
 * but stay inert: {@link #enable()} does nothing and no probe is ever enabled.
 */
public final class DTraceProvider implements AutoCloseable {

    /** The most characters of a provider, module or probe name; for a probe, of its {@link Probe#noteName()}. */
    public static final int MAX_NAME_LENGTH = Names.MAX_LENGTH;

    private final String name;
    private final String module;
    private final ProviderBackend backend;
    private final ProbeConnector<Probe> connector;
    private final ProbeTable probes;
    private boolean closed;

    private DTraceProvider(String name, String module, JsonEncoder jsonEncoder, ProviderBackend backend,
            Recorders<Probe> recorders) {
        this.name = name;
        this.module = module;
        this.backend = backend;
        this.connector = new ProbeConnector<>(name, backend, jsonEncoder, recorders);
        this.probes = new ProbeTable(name);
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

    /**
     * True if {@code name} is a valid provider (or module) name: a C identifier, {@code [A-Za-z_][A-Za-z0-9_]*}, of 1
     * to {@value #MAX_NAME_LENGTH} characters. Whether an open provider has it already is another matter: see
     * {@link ProviderNameInUseException}.
     */
    public static boolean isValidName(String name) {
        return Names.isIdentifier(name);
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
         * @throws ProviderNameInUseException if an open provider of this process has the name, made by this or
         *     another copy of dtrace-core
         * @throws IllegalStateException if the native core refuses the provider
         */
        public DTraceProvider build() {
            Names.checkProviderName(name);
            Names.checkModuleName(module, name);
            Path dir = directory != null ? directory.toAbsolutePath() : null;
            Recorders<Probe> recorders = new Recorders<>();
            return OpenProviders.open(name, recorders,
                    () -> new DTraceProvider(name, module, jsonEncoder, Backends.create(name, module, dir), recorders))
                    .orElseThrow(() -> new ProviderNameInUseException(name, "A DTrace provider named " + quote(name)
                            + " already exists in this process (in this or another copy of dtrace-core); close() it"
                            + " before creating another"));
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
     * provider holds at most {@value io.github.dtraceprovider.core.internal.nativecore.NativeProvider#MAX_OBJECTS} objects (the
     * one {@link #enable()} loaded, then one per probe added after it): add probes before {@code enable()}, or call
     * {@link #disable()} and {@code enable()} to gather them into one.
     *
     * @throws IllegalArgumentException for an invalid name or declaration, too many arguments, a duplicate name
     *     (two names with the same note name, such as {@code a-b} and {@code a__b}, are duplicates)
     * @throws IllegalStateException if the provider is closed, is enabled and holds that many objects already
     *     (nothing is defined then), or the probe was defined but cannot be loaded
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
        probes.checkFree(name, noteName);
        Probe probe = new Probe(this, name, noteName, signature, connector);
        probes.add(probe);
        backend.loadDefined(name);
        return probe;
    }

    /**
     * The probe of this name, in either spelling ({@code order-placed} or {@code order__placed}).
     *
     * @throws IllegalArgumentException naming the known probes if there is no such probe
     */
    public Probe probe(String name) {
        return probes.get(requireNonNull(name, "Probe name"));
    }

    /** The probe of this name, in either spelling, if there is one. */
    public Optional<Probe> findProbe(String name) {
        return Optional.ofNullable(probes.find(requireNonNull(name, "Probe name")));
    }

    /** The probes, in definition order. */
    public synchronized List<Probe> probes() {
        return probes.all();
    }

    /**
     * Makes every probe traceable: writes the probes not yet loaded into a new object file and maps it.
     * Idempotent; does nothing where USDT probes are not supported.
     *
     * @throws IllegalStateException if the provider is closed or the object cannot be written or loaded
     */
    public synchronized void enable() {
        checkOpen();
        backend.enable();
    }

    /** Makes every probe inert at once, unloads the objects and deletes their files; enable() works again. */
    public synchronized void disable() {
        if (!closed) {
            backend.disable();
        }
    }

    /** True between {@link #enable()} and {@link #disable()}; always false where unsupported. */
    public boolean isEnabled() {
        return backend.isEnabled();
    }

    /**
     * Disables the provider and frees its name. Idempotent. Later fires do nothing, and a fire racing with close() is
     * safe: the native provider (a few hundred bytes once disabled) is freed only once neither this provider nor any
     * of its probes is reachable, and a fire keeps its probe reachable until it returns.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        disable();
        closed = true;
        backend.close();
        OpenProviders.closed(name, this);
    }

    /**
     * Fires the probe of this name, in either spelling; see {@link Probe#fire}. An unknown name is logged once and
     * ignored. Never throws.
     */
    public void fire(String probeName, Supplier<Object[]> args) {
        Probe probe = probes.find(probeName);
        if (probe != null) {
            probe.fire(args);
        } else {
            probes.warnUnknown(probeName);
        }
    }

    /** The object files currently loaded, one per enable() (or addProbe() after it) that loaded probes. */
    public synchronized List<Path> objectPaths() {
        return probes.objectPaths();
    }

    @Override
    public String toString() {
        return "DTraceProvider " + name + (module.equals(name) ? "" : " (module " + module + ")")
                + (closed ? ", closed" : isEnabled() ? ", enabled" : "");
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("DTrace provider " + quote(name) + " is closed");
        }
    }
}
