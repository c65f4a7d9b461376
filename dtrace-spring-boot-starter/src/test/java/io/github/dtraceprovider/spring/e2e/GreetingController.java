package io.github.dtraceprovider.spring.e2e;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The routes of the end-to-end tests, the same for Spring MVC and WebFlux: a plain, a {@code CompletableFuture} and
 * a {@code Mono} handler, and a failing plain and {@code Mono} one.
 */
@RestController
class GreetingController {

    private final GreetingService service;

    GreetingController(GreetingService service) {
        this.service = service;
    }

    @GetMapping("/greetings/{name}")
    String greet(@PathVariable String name) {
        return service.greet(name);
    }

    @GetMapping("/later/{name}")
    CompletableFuture<String> later(@PathVariable String name) {
        return service.greetLater(name);
    }

    @GetMapping("/reactive/{name}")
    Mono<String> reactive(@PathVariable String name) {
        return service.greetReactively(name);
    }

    @GetMapping("/failures")
    String fail() {
        return service.fail("boom");
    }

    @GetMapping("/failures/reactive")
    Mono<String> failReactively() {
        return service.failReactively("boom");
    }
}
