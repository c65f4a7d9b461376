package io.github.dtraceprovider.demo.order;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every 2 seconds, removes the orders left unpaid for 15 minutes; Spring observes each run. */
@Component
class OrderExpiry {

    static final Duration UNPAID_LIFETIME = Duration.ofMinutes(15);

    private final OrderRepository orders;
    private final Counter expired;

    OrderExpiry(OrderRepository orders, MeterRegistry meters) {
        this.orders = orders;
        this.expired = meters.counter("orders.expired");
    }

    @Scheduled(fixedRate = 2000)
    void expireUnpaidOrders() {
        int removed = orders.removeUnpaidPlacedBefore(Instant.now().minus(UNPAID_LIFETIME));
        if (removed > 0) {
            expired.increment(removed);
        }
    }
}
