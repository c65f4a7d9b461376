package io.github.dtraceprovider.spring.e2e;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.observation.annotation.Observed;

import org.springframework.scheduling.annotation.Scheduled;

/** Work that Spring observes: {@code @Observed} methods, one of which fails, and a {@code @Scheduled} task. */
public class ObservedWork {

    private final AtomicLong ticks = new AtomicLong();

    @Observed(name = "test.packing", contextualName = "pack-order", lowCardinalityKeyValues = { "zone", "b", "area",
            "a" })
    public String pack(String item) {
        return "packed " + item;
    }

    @Observed(name = "test.packing.failed")
    public String failToPack(String item) {
        throw new IllegalStateException("out of stock: " + item);
    }

    @Scheduled(fixedDelay = 100)
    public void tick() {
        ticks.incrementAndGet();
    }
}
