package io.github.dtraceprovider.spring.http;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.http.server.PathContainer;
import org.springframework.util.AntPathMatcher;

/**
 * The {@code dtrace.http.exclude} patterns, matched exactly as Spring's {@link AntPathMatcher} matches them against
 * the path that Spring routes on ({@link #routedPath}). A traced request checks them all, so the usual shape, a
 * literal path followed by {@code /**} (the default {@code /actuator/**}), is matched by comparing path segments in
 * place, which allocates nothing: AntPathMatcher splits the path into a new array on every call. Any other pattern
 * goes to AntPathMatcher.
 */
final class ExcludedPaths {

    private static final String ANY_BELOW = "/**";

    private final List<Predicate<String>> patterns;

    ExcludedPaths(List<String> patterns) {
        AntPathMatcher matcher = new AntPathMatcher();
        this.patterns = patterns.stream().map(pattern -> {
            String prefix = literalPrefix(pattern);
            return prefix != null ? prefixMatcher(pattern.startsWith("/"), segments(prefix))
                    : (Predicate<String>) path -> matcher.match(pattern, path);
        }).toList();
    }

    /** Whether a request to this path, as the client wrote it and without the context path, fires nothing. */
    boolean matches(String rawPathWithinApplication) {
        String path = routedPath(rawPathWithinApplication);
        for (Predicate<String> pattern : patterns) {
            if (pattern.test(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The path as Spring MVC and WebFlux route it: their PathPatterns match each segment decoded and without its
     * {@code ;} parameters, so {@code /%61ctuator/health} and {@code /actuator;x/health} reach the health endpoint
     * and must be excluded with it. A decoded {@code /} stays {@code %2F}: Spring keeps it inside its segment. A path
     * with nothing to decode or cut off is returned as it is, without allocating; one that cannot be decoded too,
     * since Spring cannot route it.
     */
    private static String routedPath(String rawPath) {
        if (rawPath.indexOf('%') < 0 && rawPath.indexOf(';') < 0) {
            return rawPath;
        }
        List<PathContainer.Element> elements;
        try {
            elements = PathContainer.parsePath(rawPath).elements();
        } catch (IllegalArgumentException malformedEscape) {
            return rawPath;
        }
        StringBuilder routed = new StringBuilder(rawPath.length());
        for (PathContainer.Element element : elements) {
            routed.append(element instanceof PathContainer.PathSegment segment
                    ? segment.valueToMatch().replace("/", "%2F") : element.value());
        }
        return routed.toString();
    }

    /** What comes before {@code /**} in a pattern of that shape with no wildcard before it; null for any other. */
    private static String literalPrefix(String pattern) {
        if (!pattern.endsWith(ANY_BELOW)) {
            return null;
        }
        String prefix = pattern.substring(0, pattern.length() - ANY_BELOW.length());
        return prefix.chars().noneMatch(c -> c == '*' || c == '?' || c == '{' || c == '}') ? prefix : null;
    }

    /**
     * What AntPathMatcher decides for {@code prefix/**}: the path starts with a slash exactly when the pattern does,
     * and its segments, empty ones skipped, begin with the prefix's segments.
     */
    private static Predicate<String> prefixMatcher(boolean absolute, String[] prefixSegments) {
        return path -> path.startsWith("/") == absolute && startsWithSegments(path, prefixSegments);
    }

    private static String[] segments(String path) {
        return Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toArray(String[]::new);
    }

    private static boolean startsWithSegments(String path, String[] segments) {
        int position = 0;
        for (String segment : segments) {
            while (position < path.length() && path.charAt(position) == '/') {
                position++;
            }
            int end = position + segment.length();
            if (!path.startsWith(segment, position) || (end < path.length() && path.charAt(end) != '/')) {
                return false;
            }
            position = end;
        }
        return true;
    }
}
