package io.github.dtraceprovider.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Fires the observation probes for every observation of the registry. Micrometer asks {@link #supportsContext} once,
 * when an observation is created, and calls only the handlers that said yes: untraced, an observation costs this
 * handler that one check, and it never sees the observation again.
 */
public final class ObservationProbeHandler implements ObservationHandler<Observation.Context> {

    private final ObservationProbes probes;

    public ObservationProbeHandler(ObservationProbes probes) {
        this.probes = probes;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return probes.isTraced();
    }

    @Override
    public void onStart(Observation.Context context) {
        InFlightObservation observation = probes.start(context);
        if (observation != null) {
            context.put(InFlightObservation.class, observation);
        }
    }

    @Override
    public void onStop(Observation.Context context) {
        InFlightObservation observation = context.get(InFlightObservation.class);
        if (observation != null) {
            probes.stop(observation, context);
        }
    }
}
