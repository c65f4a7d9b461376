package io.github.dtraceprovider.demo.order;

import java.util.List;

/** The body of POST /orders. */
public record NewOrder(String customer, List<OrderLine> lines) {
}
