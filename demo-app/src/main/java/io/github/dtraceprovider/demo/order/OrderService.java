package io.github.dtraceprovider.demo.order;

import java.time.Instant;
import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.demo.payment.PaymentGateway;
import io.github.dtraceprovider.demo.payment.Receipt;
import io.github.dtraceprovider.spring.Traced;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Places and pays orders. Every public method fires method-entry/method-return ({@code @Traced} on the class), and
 * placing an order fires the application probe {@code order-placed} declared in application.yml. Each order handled
 * is logged: with tracing, the log line carries the request's trace id, as the HTTP probes do.
 */
@Service
@Traced
public class OrderService {

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository orders;
    private final PaymentGateway payments;
    private final Probe orderPlaced;
    private final Counter placedCounter;

    public OrderService(OrderRepository orders, PaymentGateway payments, DTraceProvider provider,
            MeterRegistry meters) {
        this.orders = orders;
        this.payments = payments;
        this.orderPlaced = provider.probe("order-placed");
        this.placedCounter = meters.counter("orders.placed");
        meters.gauge("orders.unpaid", orders, OrderRepository::countUnpaid);
    }

    public Order place(NewOrder request) {
        if (request.customer() == null || request.customer().isBlank() || request.lines() == null
                || request.lines().isEmpty()) {
            throw new InvalidOrderException("An order needs a customer and at least one line");
        }
        long total = request.lines().stream().mapToLong(OrderLine::totalCents).sum();
        Order order = orders.insert(id -> new Order(id, request.customer(), List.copyOf(request.lines()), total,
                Order.Status.PLACED, Instant.now()));
        placedCounter.increment();
        // The arguments are computed only while a tracer is attached to order-placed.
        orderPlaced.fire(() -> new Object[] {order.id(), order.customer(), order.totalCents(), order});
        log.info("Order {} placed by {}: {} cents", order.id(), order.customer(), order.totalCents());
        return order;
    }

    public Order find(long id) {
        Order order = orders.find(id).orElseThrow(() -> new OrderNotFoundException(id));
        log.info("Order {} looked up", id);
        return order;
    }

    public List<Order> all() {
        return orders.all();
    }

    public Receipt pay(long id) {
        Order order = find(id);
        Receipt receipt = payments.charge(order);
        orders.update(order.paid());
        log.info("Order {} paid: {} cents, authorization {}", id, receipt.amountCents(), receipt.authorization());
        return receipt;
    }
}
