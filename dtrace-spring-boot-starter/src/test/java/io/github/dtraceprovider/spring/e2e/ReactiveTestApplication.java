package io.github.dtraceprovider.spring.e2e;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ReactiveGreetingController.class, GreetingService.class })
public class ReactiveTestApplication {
}
