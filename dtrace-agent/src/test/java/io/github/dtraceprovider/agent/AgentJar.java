package io.github.dtraceprovider.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code java -jar target/dtrace-agent.jar attach PID ...} as a user does: the jar the build just packaged. */
final class AgentJar {

    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private AgentJar() {
    }

    /** The reply of a request that must succeed (exit status 0). */
    static String attach(long pid, String... request) throws IOException, InterruptedException {
        return run(pid, 0, request);
    }

    /** The reply of a request that must be refused (exit status 1). */
    static String refused(long pid, String... request) throws IOException, InterruptedException {
        return run(pid, 1, request);
    }

    private static String run(long pid, int exitStatus, String... request) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", "target/dtrace-agent.jar", "attach",
                Long.toString(pid)));
        command.addAll(List.of(request));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        String reply = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(reply).isEqualTo(exitStatus);
        return reply;
    }
}
