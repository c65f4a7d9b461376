package io.github.dtraceprovider.zeroconfig;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ZeroConfigApplication {

    public static void main(String[] args) {
        SpringApplication.run(ZeroConfigApplication.class, args);
    }
}
