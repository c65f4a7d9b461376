package io.github.dtraceprovider.core.internal;

import io.github.dtraceprovider.core.Probe;

/**
 * Receives the traced fires of a provider while attached to its {@link Recorders}; dtrace-test's
 * {@code ProbeRecorder} is one. Called on the firing thread with the arguments exactly as they go to the native probe,
 * after the supplier and the encoding succeeded; it must neither block nor throw.
 */
public interface FireListener {

    void fired(Probe probe, EncodedArguments arguments);
}
