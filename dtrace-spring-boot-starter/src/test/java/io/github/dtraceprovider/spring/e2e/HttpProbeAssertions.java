package io.github.dtraceprovider.spring.e2e;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Attaches bpftrace to the HTTP probes of this JVM and checks what a request fires: a start and a done line with the
 * same request id, method, path, route, status and a positive duration. For the bpftrace matrix; the other HTTP tests
 * record the probes ({@link RecordedHttpProbes}).
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

    /** bpftrace of the given build attached to the HTTP probes of {@code provider}. */
    static HttpProbeAssertions attach(BpftraceBuild build, String provider, int port) {
        build.assumeAvailable();
        return new HttpProbeAssertions(Bpftrace.attach(build, PID, """
                usdt::%1$s:http__request__start { printf("start %%ld %%s %%s %%s\\n", arg0, str(arg1), str(arg2), str(arg3)); }
                usdt::%1$s:http__request__done { printf("done %%ld %%s %%s [%%s] %%ld %%ld\\n", arg0, str(arg1), str(arg2), str(arg3), arg4, arg5); }
                """.formatted(provider)), port);
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

    @Override
    public void close() {
        bpftrace.close();
    }
}
