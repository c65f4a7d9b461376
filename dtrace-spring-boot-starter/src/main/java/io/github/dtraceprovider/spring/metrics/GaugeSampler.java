package io.github.dtraceprovider.spring.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Reports every gauge of the registry through {@code meter-gauge} at a fixed interval, but only while a tracer is
 * attached to that probe: untraced, a tick is one memory read.
 */
public final class GaugeSampler implements SmartLifecycle {

    private final MeterRegistry registry;
    private final MeterProbes probes;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public GaugeSampler(MeterRegistry registry, MeterProbes probes, Duration interval) {
        this.registry = registry;
        this.probes = probes;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dtrace-gauge-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::sample, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        scheduler.shutdownNow();
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /**
     * One tick. It never throws: a scheduled task that throws is never run again, so one broken gauge or a registry
     * that fails once would end sampling for good.
     */
    void sample() {
        try {
            if (!probes.isGaugeTraced()) {
                return;
            }
            registry.forEachMeter(meter -> {
                if (meter instanceof Gauge gauge) {
                    try {
                        probes.sampled(MeterLabel.of(gauge.getId()), gauge.value());
                    } catch (Throwable e) {
                        // A gauge that fails has no value to report this time; the others still do.
                    }
                }
            });
        } catch (Throwable e) {
            // The registry failed: the next tick tries again.
        }
    }
}
