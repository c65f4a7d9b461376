package io.github.dtraceprovider.core.internal.fire;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.internal.backend.EncodedArguments;
import io.github.dtraceprovider.core.internal.backend.ProbeBackend;
import io.github.dtraceprovider.core.internal.definition.Messages;
import io.github.dtraceprovider.core.internal.recording.RecordedProbe;
import io.github.dtraceprovider.core.internal.recording.Recorders;

/**
 * What a probe's fire does once a tracer (or a recorder, see {@link Recorders}) is attached: runs the supplier, encodes
 * its values and passes them on, and counts the fires and failures. Never throws: whatever fails here, describing or
 * counting a failure included (an OutOfMemoryError, a StackOverflowError), is caught. The first problem of a probe is
 * logged; later ones are only counted.
 */
public final class TracedFire {

    private final ProbeBackend backend;
    private final RecordedProbe<?> recorded;
    private final ArgType[] types;
    private final JsonEncoder jsonEncoder;
    /** Whose problems are logged: "DTrace probe "name" of provider "provider"". */
    private final String probe;
    private final LongAdder fires = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();

    public TracedFire(ProbeBackend backend, RecordedProbe<?> recorded, ArgType[] types, JsonEncoder jsonEncoder,
            String probe, String provider) {
        this.backend = backend;
        this.recorded = recorded;
        this.types = types;
        this.jsonEncoder = jsonEncoder;
        this.probe = "DTrace probe \"" + probe + "\" of provider \"" + provider + "\"";
    }

    /** Fires that reached native code. */
    public long fireCount() {
        return fires.sum();
    }

    /** Fires whose supplier failed (fire skipped) or whose values had to be coerced to 0 or NULL. */
    public long failureCount() {
        return failures.sum();
    }

    /** A failure is counted before it is described, since describing it takes memory. */
    public void run(Supplier<Object[]> args) {
        boolean counted = false;
        try {
            Object[] values;
            try {
                values = args.get();
            } catch (Throwable t) {
                failures.increment();
                counted = true;
                warnOnce("the argument supplier threw " + Messages.describe(t) + "; fire skipped");
                return;
            }
            if (values == null) {
                failures.increment();
                counted = true;
                warnOnce("the argument supplier returned null; fire skipped");
                return;
            }
            EncodedArguments encoded = ArgumentEncoder.encode(values, types, jsonEncoder);
            if (encoded.problem() != null) {
                failures.increment();
                counted = true;
                warnOnce(encoded.problem());
            }
            if (recorded.record(encoded) && backend.pass(encoded)) {
                fires.increment();
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

    private void warnOnce(String problem) {
        if (!warned.get() && warned.compareAndSet(false, true)) {
            Warnings.warn(probe + ": " + problem
                    + " (further problems with this probe are counted in failureCount(), not logged)");
        }
    }
}
