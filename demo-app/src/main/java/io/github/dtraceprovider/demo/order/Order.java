package io.github.dtraceprovider.demo.order;

import java.time.Instant;
import java.util.List;

/** A placed order. */
public record Order(long id, String customer, List<OrderLine> lines, long totalCents, Status status,
        Instant placedAt) {

    public enum Status { PLACED, PAID }

    Order paid() {
        return new Order(id, customer, lines, totalCents, Status.PAID, placedAt);
    }
}
