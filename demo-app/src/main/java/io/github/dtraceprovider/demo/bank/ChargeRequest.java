package io.github.dtraceprovider.demo.bank;

/** What the payment gateway asks the bank to charge. */
public record ChargeRequest(long orderId, long amountCents) {
}
