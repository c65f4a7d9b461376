package io.github.dtraceprovider.demo.payment;

/** The payment gateway failed; nothing handles it, so the request ends with 500. */
public class PaymentGatewayException extends RuntimeException {

    public PaymentGatewayException(String message) {
        super(message);
    }
}
