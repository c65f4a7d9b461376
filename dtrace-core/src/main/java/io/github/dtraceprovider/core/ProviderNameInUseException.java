package io.github.dtraceprovider.core;

/**
 * Thrown when a provider is created under a name that an open provider of this process already has, whichever copy
 * of dtrace-core in the JVM created it: names are unique per process until the provider that holds one is
 * {@linkplain DTraceProvider#close() closed}.
 */
public final class ProviderNameInUseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String name;

    ProviderNameInUseException(String name, String message) {
        super(message);
        this.name = name;
    }

    /** The name that is taken. */
    public String name() {
        return name;
    }
}
