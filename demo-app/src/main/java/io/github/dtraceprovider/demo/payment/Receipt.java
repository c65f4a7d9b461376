package io.github.dtraceprovider.demo.payment;

/** What the payment gateway answers for an authorised payment. */
public record Receipt(long orderId, long amountCents, String authorization) {
}
