package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.Traced;

/** @Traced annotations with mistakes: each method must still behave exactly as written. */
public class MisconfiguredService {

    @Traced(probe = "no-such-probe", args = "#name")
    public String unknownProbe(String name) {
        return name;
    }

    @Traced(probe = "greeted", args = "#name")
    public String tooFewArguments(String name) {
        return name;
    }

    @Traced(probe = "greeted", args = { "#name", "#result.noSuchMethod()" })
    public String failingExpression(String name) {
        return name;
    }
}
