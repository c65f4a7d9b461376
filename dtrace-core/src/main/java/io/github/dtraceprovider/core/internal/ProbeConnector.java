package io.github.dtraceprovider.core.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.internal.backend.ProbeBackend;
import io.github.dtraceprovider.core.internal.backend.ProviderBackend;
import io.github.dtraceprovider.core.internal.fire.TracedFire;
import io.github.dtraceprovider.core.internal.recording.RecordedProbe;
import io.github.dtraceprovider.core.internal.recording.Recorders;

/**
 * Connects each probe one provider defines to the provider's backend, recorders and JSON encoder. The backend gives
 * the probe its semaphore through the probe's {@link RecordedProbe}, which puts an always-set one in its place while a
 * recorder listens; a traced fire runs the {@link TracedFire} made here. {@code P} is the API's probe type, which this
 * package only hands on.
 */
public final class ProbeConnector<P> {

    private final String provider;
    private final ProviderBackend backend;
    private final JsonEncoder jsonEncoder;
    private final Recorders<P> recorders;

    public ProbeConnector(String provider, ProviderBackend backend, JsonEncoder jsonEncoder, Recorders<P> recorders) {
        this.provider = provider;
        this.backend = backend;
        this.jsonEncoder = jsonEncoder;
        this.recorders = recorders;
    }

    /** What a probe keeps of its connection: where it is loaded, and what its traced fires run. */
    public record Connection(ProbeBackend backend, TracedFire traced) {
    }

    /**
     * Defines {@code probe} in the backend and makes it take part in the recorders; {@code semaphore} writes the field
     * the probe's {@code isEnabled()} reads. See {@link ProviderBackend#define} for the rules.
     *
     * @throws IllegalStateException if the backend cannot define it; nothing is connected then
     */
    public Connection connect(P probe, Consumer<ByteBuffer> semaphore, String name, String noteName,
            List<ArgType> types) {
        RecordedProbe<P> recorded = new RecordedProbe<>(probe, semaphore);
        ProbeBackend probeBackend = backend.define(name, noteName, types, recorded::bind);
        TracedFire traced = new TracedFire(probeBackend, recorded, types.toArray(new ArgType[0]), jsonEncoder, name,
                provider);
        recorders.add(recorded);
        return new Connection(probeBackend, traced);
    }
}
