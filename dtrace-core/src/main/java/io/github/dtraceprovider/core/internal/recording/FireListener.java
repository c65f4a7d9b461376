package io.github.dtraceprovider.core.internal.recording;

import io.github.dtraceprovider.core.internal.backend.EncodedArguments;

/**
 * Receives the traced fires of a provider while attached to its {@link Recorders}; dtrace-test's
 * {@code ProbeRecorder} is one. {@code P} is the API's probe type, which this package only hands on. Called on the firing thread with the arguments exactly as they go to the native probe,
 * after the supplier and the encoding succeeded; it must neither block nor throw.
 */
public interface FireListener<P> {

    void fired(P probe, EncodedArguments arguments);
}
