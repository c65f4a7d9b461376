package io.github.dtraceprovider.spring.provider;

import java.nio.file.Path;
import java.util.stream.Collectors;

import io.github.dtraceprovider.core.DTraceProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Enables the provider once every bean has been created (so every probe the starter and the application declare is
 * in the first object file) and disables it when the context stops. Where probes cannot work it says why in one WARN
 * line and the application runs on without them.
 */
public final class ProviderLifecycle implements SmartLifecycle {

    /**
     * Below the web server's start/stop phase ({@code DEFAULT_PHASE - 2048}): the probes are live before the first
     * request arrives and stay live until the last one has been answered.
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log log = LogFactory.getLog(ProviderLifecycle.class);

    private final DTraceProvider provider;
    private volatile boolean running;

    public ProviderLifecycle(DTraceProvider provider) {
        this.provider = provider;
    }

    @Override
    public void start() {
        running = true;
        if (!DTraceProvider.isSupported()) {
            log.warn("DTrace probes are off: " + DTraceProvider.unsupportedReason().orElse("unsupported platform")
                    + "; the application runs without them");
            return;
        }
        try {
            provider.enable();
        } catch (IllegalStateException e) {
            log.warn("DTrace probes are off: " + e.getMessage() + "; the application runs without them");
            return;
        }
        long pid = ProcessHandle.current().pid();
        log.info("DTrace provider '" + provider.name() + "' is live with " + provider.probes().size() + " probes in "
                + provider.objectPaths().stream().map(Path::toString).collect(Collectors.joining(", "))
                + "; try: " + BpftraceCommand.countFires(provider, pid));
    }

    @Override
    public void stop() {
        running = false;
        provider.disable();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
