package io.github.dtraceprovider.spring.e2e;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application of the end-to-end tests. Both web stacks are on the test class path: each test picks one with
 * {@code spring.main.web-application-type}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ GreetingController.class, GreetingService.class, MisconfiguredService.class })
public class GreetingApplication {
}
