package io.github.dtraceprovider.spring.e2e;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReactiveGreetingController {

    private final GreetingService service;

    ReactiveGreetingController(GreetingService service) {
        this.service = service;
    }

    @GetMapping("/greetings/{name}")
    Mono<String> greet(@PathVariable String name) {
        return service.greetReactively(name);
    }

    @GetMapping("/failures")
    Mono<String> fail() {
        return service.failReactively("boom");
    }
}
