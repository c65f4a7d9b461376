package io.github.dtraceprovider.spring.e2e;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The application of the observation tests: the greeting routes to call over HTTP, and observed work. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@Import({ GreetingController.class, GreetingService.class, ObservedWork.class })
public class ObservedApplication {
}
