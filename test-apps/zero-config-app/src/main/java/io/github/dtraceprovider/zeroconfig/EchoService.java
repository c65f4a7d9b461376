package io.github.dtraceprovider.zeroconfig;

import io.github.dtraceprovider.spring.Traced;

import org.springframework.stereotype.Service;

@Service
public class EchoService {

    @Traced
    public String echo(String word) {
        return word;
    }
}
