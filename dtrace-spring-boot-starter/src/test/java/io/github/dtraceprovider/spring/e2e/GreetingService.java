package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.dtraceprovider.spring.Traced;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A @Traced service layer for the end-to-end tests: plain, failing, CompletableFuture and Mono methods. */
@Traced
public class GreetingService {

    @Traced(probe = "greeted", args = { "#name", "#result.length()" })
    public String greet(String name) {
        return "hello " + name;
    }

    /** Names its probe by the note name: either spelling works. */
    @Traced(probe = "order__placed", args = { "#id", "#customer", "#customer" })
    public int placeOrder(int id, String customer) {
        return id;
    }

    public String fail(String why) {
        throw new IllegalStateException(why);
    }

    public CompletableFuture<String> greetLater(String name) {
        return CompletableFuture.supplyAsync(() -> "later " + name);
    }

    public Mono<String> greetReactively(String name) {
        return Mono.just("reactive " + name).delayElement(Duration.ofMillis(1));
    }

    public Flux<String> greetEach(String... names) {
        return Flux.fromArray(names).map(name -> "hello " + name).delayElements(Duration.ofMillis(1));
    }

    public Mono<String> failReactively(String why) {
        return Mono.error(new IllegalStateException(why));
    }
}
