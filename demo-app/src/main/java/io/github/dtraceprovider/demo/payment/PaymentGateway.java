package io.github.dtraceprovider.demo.payment;

import io.github.dtraceprovider.demo.bank.ChargeAuthorization;
import io.github.dtraceprovider.demo.bank.ChargeRequest;
import io.github.dtraceprovider.demo.order.Order;
import io.github.dtraceprovider.spring.Traced;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Charges orders at the bank over HTTP ({@code POST /bank/charges}, simulated in this application), with a
 * RestClient from Spring Boot's builder, so that every call is observed as {@code http.client.requests}.
 */
@Component
public class PaymentGateway {

    private final RestClient bank;
    private final Environment environment;
    private final Timer chargeTimer;

    public PaymentGateway(RestClient.Builder restClients, Environment environment, MeterRegistry meters) {
        this.bank = restClients.build();
        this.environment = environment;
        this.chargeTimer = meters.timer("orders.payment.duration");
    }

    /** Fires the application probe payment-authorized(orderId, amountCents, authorization) when it succeeds. */
    @Traced(probe = "payment-authorized", args = { "#order.id()", "#result.amountCents()", "#result.authorization()" })
    public Receipt charge(Order order) {
        return chargeTimer.record(() -> {
            ChargeAuthorization authorization;
            try {
                authorization = bank.post().uri("http://localhost:{port}/bank/charges", serverPort())
                        .body(new ChargeRequest(order.id(), order.totalCents())).retrieve()
                        .body(ChargeAuthorization.class);
            } catch (RestClientException e) {
                throw new PaymentGatewayException("The bank refused to charge " + order.totalCents()
                        + " cents for order " + order.id() + ": " + e.getMessage());
            }
            return new Receipt(order.id(), order.totalCents(), authorization.authorization());
        });
    }

    /** The bank is this application: its port is known once the web server listens. */
    private String serverPort() {
        return environment.getRequiredProperty("local.server.port");
    }
}
