package io.github.dtraceprovider.demo.order;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.springframework.stereotype.Repository;

/** The orders, in memory. */
@Repository
public class OrderRepository {

    private final Map<Long, Order> orders = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    Order insert(LongFunction<Order> orderWithId) {
        Order order = orderWithId.apply(ids.incrementAndGet());
        orders.put(order.id(), order);
        return order;
    }

    void update(Order order) {
        orders.put(order.id(), order);
    }

    Optional<Order> find(long id) {
        return Optional.ofNullable(orders.get(id));
    }

    List<Order> all() {
        return orders.values().stream().sorted(Comparator.comparingLong(Order::id)).toList();
    }

    /** Removes the unpaid orders placed before {@code cutoff} and says how many. */
    int removeUnpaidPlacedBefore(Instant cutoff) {
        int removed = 0;
        for (Order order : orders.values()) {
            if (order.status() == Order.Status.PLACED && order.placedAt().isBefore(cutoff)
                    && orders.remove(order.id(), order)) {
                removed++;
            }
        }
        return removed;
    }

    long countUnpaid() {
        return orders.values().stream().filter(order -> order.status() == Order.Status.PLACED).count();
    }
}
