package io.github.dtraceprovider.core.internal.backend;

import java.nio.file.Path;

/** Where a probe's traced fires go: a native probe ({@code NativeProbe}), or nowhere where the provider is inert. */
public interface ProbeBackend {

    /** Passes the arguments to the tracer; false if they went nowhere. Called only while the probe is traced. */
    boolean pass(EncodedArguments arguments);

    /** The object file that holds the probe while it is loaded, else null. */
    Path objectPath();
}
