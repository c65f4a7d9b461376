package io.github.dtraceprovider.spring.recording;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.github.dtraceprovider.spring.Traced;

/**
 * The smallest application with each kind of probe the starter gives: HTTP, {@code @Traced} and an application probe
 * of {@code dtrace.probes} ({@code greeted}, declared by the test).
 */
@SpringBootApplication
class RecordedApplication {

    @RestController
    static class GreetingController {

        private final Greeter greeter;

        GreetingController(Greeter greeter) {
            this.greeter = greeter;
        }

        @GetMapping("/greet/{name}")
        String greet(@PathVariable String name) {
            return greeter.greet(name);
        }
    }

    @Service
    static class Greeter {

        @Traced(probe = "greeted", args = "#name")
        public String greet(String name) {
            return "hello, " + name;
        }
    }
}
