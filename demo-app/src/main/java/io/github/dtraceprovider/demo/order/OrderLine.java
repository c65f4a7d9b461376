package io.github.dtraceprovider.demo.order;

/** One product of an order. */
public record OrderLine(String sku, int quantity, long unitPriceCents) {

    long totalCents() {
        return quantity * unitPriceCents;
    }
}
