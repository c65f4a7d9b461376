package io.github.dtraceprovider.demo.bank;

/** What the bank answers for a charge it accepts. */
public record ChargeAuthorization(String authorization) {
}
