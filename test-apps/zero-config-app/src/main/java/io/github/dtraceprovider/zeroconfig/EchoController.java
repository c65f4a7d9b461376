package io.github.dtraceprovider.zeroconfig;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EchoController {

    private final EchoService echo;

    EchoController(EchoService echo) {
        this.echo = echo;
    }

    @GetMapping("/echo/{word}")
    String echo(@PathVariable String word) {
        return echo.echo(word);
    }
}
