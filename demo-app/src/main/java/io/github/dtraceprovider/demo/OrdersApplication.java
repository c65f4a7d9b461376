package io.github.dtraceprovider.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * An orders service: REST endpoints over an in-memory store, a payment gateway that calls a (simulated) bank over
 * HTTP and a scheduled expiry of unpaid orders, with USDT probes from dtrace-spring-boot-starter.
 */
@SpringBootApplication
@EnableScheduling
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
