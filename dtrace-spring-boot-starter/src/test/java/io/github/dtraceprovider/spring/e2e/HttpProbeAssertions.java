package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;

import org.springframework.boot.WebApplicationType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Attaches bpftrace to the HTTP probes of this JVM and checks what a request fires: a start and a done line with the
 * same request id, method, path, route, status and a positive duration.
 */
final class HttpProbeAssertions implements AutoCloseable {

    static final long PID = ProcessHandle.current().pid();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Bpftrace bpftrace;
    private final int port;

    private HttpProbeAssertions(Bpftrace bpftrace, int port) {
        this.bpftrace = bpftrace;
        this.port = port;
    }

    static HttpProbeAssertions attach(String provider, int port) {
        return attach(BpftraceBuild.SYSTEM, provider, port);
    }

    /** Like {@link #attach(String, int)}, with the given build of bpftrace. */
    static HttpProbeAssertions attach(BpftraceBuild build, String provider, int port) {
        build.assumeAvailable();
        return new HttpProbeAssertions(Bpftrace.attach(build, PID, """
                usdt::%1$s:http__request__start { printf("start %%ld %%s %%s %%s\\n", arg0, str(arg1), str(arg2), str(arg3)); }
                usdt::%1$s:http__request__done { printf("done %%ld %%s %%s [%%s] %%ld %%ld\\n", arg0, str(arg1), str(arg2), str(arg3), arg4, arg5); }
                """.formatted(provider)), port);
    }

    /**
     * Every route of {@link GreetingController} and a path none maps (answered by the static-resource handler, whose
     * pattern is {@code /**}): each request fires a start and a done with its route and final status. Spring MVC
     * answers a {@code Mono} that fails through an error dispatch to Spring Boot's {@code /error}, and Spring's own
     * observation reports that route; the filter reports the same.
     */
    void assertEveryRoute(WebApplicationType stack) {
        assertGet("/greetings/ada", "/greetings/{name}", 200);
        assertGet("/later/ada", "/later/{name}", 200);
        assertGet("/reactive/ada", "/reactive/{name}", 200);
        assertGet("/failures", "/failures", 500);
        assertGet("/failures/reactive", stack == WebApplicationType.SERVLET ? "/error" : "/failures/reactive", 500);
        assertGet("/no/such/page", "/**", 404);
    }

    /**
     * Sends GET path until bpftrace reports a done line and the start line with the same request id. bpftrace
     * attaches its probes one after the other, so the first requests may be seen by only one of them.
     */
    void assertGet(String path, String route, int status) {
        Pattern done = Pattern.compile("done (\\d+) GET " + Pattern.quote(path) + " \\[" + Pattern.quote(route)
                + "\\] " + status + " (\\d+)");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            HttpRequests.get(port, path);
            List<String> lines = bpftrace.output();
            for (String line : lines) {
                Matcher matcher = done.matcher(line);
                if (matcher.matches() && lines.stream().anyMatch(start -> start.matches("start " + matcher.group(1)
                        + " GET " + Pattern.quote(path) + " (127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)"))) {
                    assertThat(Long.parseLong(matcher.group(2))).as("durationNanos of " + line).isPositive();
                    return;
                }
            }
            pause();
        }
        fail("no start/done pair for GET " + path + " (route " + route + ", status " + status + ") within " + TIMEOUT
                + "; bpftrace printed:\n" + String.join("\n", bpftrace.output()));
    }

    /** A short wait between two looks at a tracer's output. */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every line so far, for a look at what else was fired. */
    Bpftrace bpftrace() {
        return bpftrace;
    }

    @Override
    public void close() {
        bpftrace.close();
    }
}
