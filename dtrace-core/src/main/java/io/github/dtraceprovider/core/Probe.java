package io.github.dtraceprovider.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.sun.jna.Pointer;

import io.github.dtraceprovider.core.internal.ArgumentBlocks;
import io.github.dtraceprovider.core.internal.ArgumentEncoder;
import io.github.dtraceprovider.core.internal.ArgumentDeclarations.Signature;
import io.github.dtraceprovider.core.internal.EncodedArguments;
import io.github.dtraceprovider.core.internal.NativeCore;
import io.github.dtraceprovider.core.internal.Names;
import io.github.dtraceprovider.core.internal.Warnings;

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
    /**
     * What every probe that is not loaded reads: always zero. A direct buffer, like the real semaphores,
     * so that the read in {@link #isEnabled()} only ever sees one buffer class.
     */
    static final ByteBuffer NOT_LOADED = ByteBuffer.allocateDirect(2);

    private final DTraceProvider provider;
    private final String name;
    private final String noteName;
    private final List<ArgType> argTypes;
    private final ArgType[] types;
    private final List<String> argNames;
    private final LongAdder fires = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** The semaphore while loaded, else {@link #NOT_LOADED}. The native core keeps an old one readable. */
    private volatile ByteBuffer semaphore = NOT_LOADED;
    /** The native dtp_probe, 0 when there is none or after close(): then a fire never reaches native code. */
    private volatile long handle;
    private volatile Path objectPath;
    /** Guarded by the provider. */
    private boolean loaded;

    Probe(DTraceProvider provider, String name, String noteName, Signature signature, long handle) {
        this.provider = provider;
        this.name = name;
        this.noteName = noteName;
        this.argTypes = signature.types();
        this.types = argTypes.toArray(new ArgType[0]);
        this.argNames = signature.names();
        this.handle = handle;
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

    /** True while a tracer is attached to this probe. Costs one memory read; never calls native code. */
    public boolean isEnabled() {
        return (short) SEMAPHORE.getOpaque(semaphore, 0) != 0;
    }

    /** Calls {@code args} and passes its values to the tracer, only if {@link #isEnabled()}. Never throws. */
    public void fire(Supplier<Object[]> args) {
        if (isEnabled()) {
            fireTraced(args);
        }
    }

    /** Fires that reached native code while the probe was traced. */
    public long fireCount() {
        return fires.sum();
    }

    /** Traced fires whose supplier failed (fire skipped) or whose values had to be coerced to 0 or NULL. */
    public long failureCount() {
        return failures.sum();
    }

    /** The object file that holds this probe while it is loaded. */
    public Optional<Path> objectPath() {
        return Optional.ofNullable(objectPath);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Probe ").append(provider.name()).append(':').append(name).append('(');
        for (int i = 0; i < types.length; i++) {
            text.append(i == 0 ? "" : ", ").append(types[i].declaration()).append(' ').append(argNames.get(i));
        }
        return text.append(')').toString();
    }

    /**
     * Never throws: whatever fails here, describing or counting a failure included (an OutOfMemoryError, a
     * StackOverflowError), is caught. A failure is counted before it is described, since describing it takes memory.
     */
    private void fireTraced(Supplier<Object[]> args) {
        boolean counted = false;
        try {
            try {
                Object[] values;
                try {
                    values = args.get();
                } catch (Throwable t) {
                    failures.increment();
                    counted = true;
                    warnOnce("the argument supplier threw " + t + "; fire skipped");
                    return;
                }
                if (values == null) {
                    failures.increment();
                    counted = true;
                    warnOnce("the argument supplier returned null; fire skipped");
                    return;
                }
                EncodedArguments encoded = ArgumentEncoder.encode(values, types, provider.jsonEncoder());
                if (encoded.problem() != null) {
                    failures.increment();
                    counted = true;
                    warnOnce(encoded.problem());
                }
                long probe = handle;
                if (probe != 0) {
                    ArgumentBlocks.fire(probe, encoded);
                    fires.increment();
                }
            } finally {
                // The native probe is freed only once this Probe is unreachable (see DTraceProvider.close()):
                // keep it reachable until the native call has returned.
                Reference.reachabilityFence(this);
            }
        } catch (Throwable t) {
            // Describing a problem failed (an exception whose toString throws), or the stack or the heap ran out.
            try {
                if (!counted) {
                    failures.increment();
                }
                warnOnce("firing failed with " + t.getClass().getName());
            } catch (Throwable ignored) {
                // what would handle this could fail the same way: nothing is left to do
            }
        }
    }

    /** Logs the first problem of this probe; later ones are only counted. */
    private void warnOnce(String problem) {
        if (!warned.get() && warned.compareAndSet(false, true)) {
            Warnings.warn("DTrace probe \"" + name + "\" of provider \"" + provider.name() + "\": " + problem
                    + " (further problems with this probe are counted in failureCount(), not logged)");
        }
    }

    boolean isLoaded() {
        return loaded;
    }

    long handle() {
        return handle;
    }

    /** Points the probe at its semaphore and object after the native provider loaded it. */
    void bind() {
        long probe = handle;
        long address = NativeCore.dtp_probe_semaphore(probe);
        String path = NativeCore.dtp_probe_object_path(probe);
        objectPath = path == null ? null : Path.of(path);
        semaphore = address == 0 ? NOT_LOADED : new Pointer(address).getByteBuffer(0, 2);
        loaded = true;
    }

    /** Makes the probe inert before the native provider unloads it. */
    void unbind() {
        semaphore = NOT_LOADED;
        objectPath = null;
        loaded = false;
    }

    /** Forgets the native probe: fires after this never reach native code. */
    void release() {
        handle = 0;
    }
}
