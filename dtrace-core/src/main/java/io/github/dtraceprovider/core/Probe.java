package io.github.dtraceprovider.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.internal.ProbeConnector;
import io.github.dtraceprovider.core.internal.backend.ProbeBackend;
import io.github.dtraceprovider.core.internal.backend.Semaphores;
import io.github.dtraceprovider.core.internal.definition.ArgumentDeclarations.Signature;
import io.github.dtraceprovider.core.internal.definition.Names;
import io.github.dtraceprovider.core.internal.fire.TracedFire;
import io.github.dtraceprovider.core.internal.nativecore.ArgumentLocations;

/**
 * A USDT probe of a {@link DTraceProvider}. Fire it with a supplier of its argument values:
 *
 * <pre>{@code
 * probe.fire(() -> new Object[] {order.id(), order.customer()});
 * }</pre>
 *
 * <p>The supplier runs only while a tracer is attached, so an untraced probe costs one memory read.
 * Firing never throws: values that do not fit the declared types are coerced (see
 * {@link DTraceProvider#addProbe(String, String...)}), counted in {@link #failureCount()} and logged
 * once per probe, from a thread of the library's own, so that the logging backend cannot stall a fire.
 */
public final class Probe {

    /** Reads the 16-bit semaphore with opaque semantics, so the JIT cannot hoist the read out of a loop. */
    private static final VarHandle SEMAPHORE =
            MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private final DTraceProvider provider;
    private final String name;
    private final String noteName;
    private final List<ArgType> argTypes;
    private final ArgType[] types;
    private final List<String> argNames;
    private final ProbeBackend backend;
    private final TracedFire traced;
    /**
     * The semaphore while loaded, else {@link Semaphores#NOT_LOADED}; the backend sets it, or a recorder of dtrace-test
     * an always-set one (see {@link ProbeConnector}). Read first and alone on the untraced path: {@link #isEnabled()}
     * is this field and the memory it points at.
     */
    private volatile ByteBuffer semaphore = Semaphores.NOT_LOADED;

    /** Defines the probe through {@code connector}; see {@link ProbeConnector#connect}. */
    Probe(DTraceProvider provider, String name, String noteName, Signature signature, ProbeConnector<Probe> connector) {
        this.provider = provider;
        this.name = name;
        this.noteName = noteName;
        this.argTypes = signature.types();
        this.types = argTypes.toArray(new ArgType[0]);
        this.argNames = signature.names();
        ProbeConnector.Connection connection = connector.connect(this, buffer -> semaphore = buffer, name, noteName,
                argTypes);
        this.backend = connection.backend();
        this.traced = connection.traced();
    }

    /** The name as declared, possibly DTrace-style with hyphens ({@code order-placed}). */
    public String name() {
        return name;
    }

    /**
     * The name tracers see, written into the probe's SDT note: a C identifier, the declared name with each hyphen
     * written as a double underscore ({@code order__placed}), as in HotSpot's {@code hotspot:gc__begin}. Use it in
     * bpftrace ({@code usdt::orders:order__placed}) and perf ({@code sdt_orders:order__placed}).
     */
    public String noteName() {
        return noteName;
    }

    /** The note name a probe declared as {@code name} gets; see {@link #noteName()}. */
    public static String noteNameOf(String name) {
        return Names.noteName(name);
    }

    public DTraceProvider provider() {
        return provider;
    }

    public List<ArgType> argTypes() {
        return argTypes;
    }

    /** The argument names from the declarations; an unnamed argument is called arg0, arg1, ... by position. */
    public List<String> argNames() {
        return argNames;
    }

    /**
     * Where each argument is at the probe point, as the probe's SDT note states it (the native core writes both): on
     * x86-64 {@code %rdi}, {@code %rsi}, {@code %rdx}, {@code %rcx}, {@code %r8}, {@code %r9}, then the stack above
     * the return address, {@code 8(%rsp)} to {@code 48(%rsp)}; on aarch64 {@code x0} to {@code x7}, then
     * {@code [sp, 0]} to {@code [sp, 24]}. Tools that read arguments from the stack (bpftrace before 0.24 reads only
     * registers by number) take the offsets from here. Empty where the native library is not loaded.
     */
    public List<String> argLocations() {
        return ArgumentLocations.first(argTypes.size());
    }

    /**
     * True while a tracer (or a recorder of dtrace-test) is attached to this probe. Costs one memory read; never calls
     * native code.
     */
    public boolean isEnabled() {
        return (short) SEMAPHORE.getOpaque(semaphore, 0) != 0;
    }

    /** Calls {@code args} and passes its values to the tracer, only if {@link #isEnabled()}. Never throws. */
    public void fire(Supplier<Object[]> args) {
        if (isEnabled()) {
            traced.run(args);
        }
    }

    /**
     * Fires that reached native code while the probe was traced. A fire that only a recorder of dtrace-test saw, with
     * no tracer attached, does not count.
     */
    public long fireCount() {
        return traced.fireCount();
    }

    /** Traced fires whose supplier failed (fire skipped) or whose values had to be coerced to 0 or NULL. */
    public long failureCount() {
        return traced.failureCount();
    }

    /** The object file that holds this probe while it is loaded. */
    public Optional<Path> objectPath() {
        return Optional.ofNullable(backend.objectPath());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Probe ").append(provider.name()).append(':').append(name).append('(');
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].declaration()).append(' ').append(argNames.get(i));
        }
        return text.append(')').toString();
    }
}
