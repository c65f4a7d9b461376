package io.github.dtraceprovider.demo.order;

import java.util.List;

import io.github.dtraceprovider.demo.payment.Receipt;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /orders, GET /orders, GET /orders/{id} (404 for an unknown id), POST /orders/{id}/payment (500 when the
 * payment gateway fails, which it does for orders above its limit).
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Order place(@RequestBody NewOrder order) {
        return orders.place(order);
    }

    @GetMapping
    List<Order> all() {
        return orders.all();
    }

    @GetMapping("/{id}")
    Order find(@PathVariable long id) {
        return orders.find(id);
    }

    @PostMapping("/{id}/payment")
    Receipt pay(@PathVariable long id) {
        return orders.pay(id);
    }
}
