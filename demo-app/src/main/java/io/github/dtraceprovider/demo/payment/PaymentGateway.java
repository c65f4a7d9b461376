package io.github.dtraceprovider.demo.payment;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.github.dtraceprovider.demo.order.Order;
import io.github.dtraceprovider.spring.Traced;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * A simulated payment gateway: 5 to 40 ms per charge, and a failure for amounts above its limit of 1000.00.
 */
@Component
public class PaymentGateway {

    static final long LIMIT_CENTS = 100_000;

    private final Timer chargeTimer;

    public PaymentGateway(MeterRegistry meters) {
        this.chargeTimer = meters.timer("orders.payment.duration");
    }

    /** Fires the application probe payment-authorized(orderId, amountCents, authorization) when it succeeds. */
    @Traced(probe = "payment-authorized", args = { "#order.id()", "#result.amountCents()", "#result.authorization()" })
    public Receipt charge(Order order) {
        return chargeTimer.record(() -> {
            sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5, 41)));
            if (order.totalCents() > LIMIT_CENTS) {
                throw new PaymentGatewayException("Payment gateway timed out charging " + order.totalCents()
                        + " cents for order " + order.id());
            }
            return new Receipt(order.id(), order.totalCents(), UUID.randomUUID().toString().substring(0, 8));
        });
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
