package io.github.dtraceprovider.spring.e2e;

import java.util.concurrent.CompletableFuture;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MvcGreetingController {

    private final GreetingService service;

    MvcGreetingController(GreetingService service) {
        this.service = service;
    }

    @GetMapping("/greetings/{name}")
    String greet(@PathVariable String name) {
        return service.greet(name);
    }

    @GetMapping("/failures")
    String fail() {
        return service.fail("boom");
    }

    @GetMapping("/later/{name}")
    CompletableFuture<String> later(@PathVariable String name) {
        return service.greetLater(name);
    }
}
