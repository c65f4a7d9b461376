package io.github.dtraceprovider.spring.http;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.AntPathMatcher;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ExcludedPaths} must decide every path as AntPathMatcher does, including on the fast path. */
class ExcludedPathsTest {

    private static final List<String> PATTERNS = List.of("/actuator/**", "/**", "actuator/**", "/api/v1/**",
            "/api/*/docs/**", "/static/**/*.css", "/health", "/a{b}/**", "/x?/**", "/orders/**/");

    private static final List<String> PATHS = List.of("/actuator", "/actuator/", "/actuator/health",
            "/actuator//health", "//actuator/health", "/actuatorx", "/actuatorx/health", "/Actuator/health",
            "actuator/health", "actuator", "/", "", "/api/v1", "/api/v1/orders/7", "/api/v2/orders", "/api/v1x/y",
            "/api/x/docs/index", "/static/css/site.css", "/health", "/health/", "/ab/c", "/a{b}/c", "/xy/z",
            "/orders/1/", "/orders/1", "/api//v1/z");

    private final AntPathMatcher antPathMatcher = new AntPathMatcher();

    @Test
    void eachPatternDecidesEveryPathAsAntPathMatcherDoes() {
        for (String pattern : PATTERNS) {
            ExcludedPaths excluded = new ExcludedPaths(List.of(pattern));
            for (String path : PATHS) {
                assertThat(excluded.matches(path)).as("%s against %s", path, pattern)
                        .isEqualTo(antPathMatcher.match(pattern, path));
            }
        }
    }

    @Test
    void aPathIsExcludedWhenAnyPatternMatches() {
        ExcludedPaths excluded = new ExcludedPaths(List.of("/actuator/**", "/internal/*/ping"));
        assertThat(excluded.matches("/actuator/health")).isTrue();
        assertThat(excluded.matches("/internal/node1/ping")).isTrue();
        assertThat(excluded.matches("/orders/1")).isFalse();
        assertThat(new ExcludedPaths(List.of()).matches("/actuator/health")).isFalse();
    }
}
