package io.github.dtraceprovider.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * {@code java -jar dtrace-agent.jar attach PID REQUEST...}: loads this jar as an agent into JVM PID (the Attach API
 * lets only the JVM's own user do that) and hands it the request; the agent answers through a system property of
 * that JVM, which the command prints. Exits 0 with the reply, 1 with a refusal or a failure to attach, 2 on bad usage.
 */
public final class AttachCommand {

    private static final String USAGE = """
            usage: java -jar dtrace-agent.jar attach PID --probe NAME --method 'CLASS#METHOD' [--args 'EXPR,...']
                   java -jar dtrace-agent.jar attach PID --remove NAME
                   java -jar dtrace-agent.jar attach PID list
            (docs/dynamic-probes.md)""";

    private AttachCommand() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || !args[0].equals("attach") || !args[1].matches("[1-9][0-9]*")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String pid = args[1];
        String id = Long.toHexString(new SecureRandom().nextLong());
        String request = id + DTraceAgent.WORD_SEPARATOR
                + String.join(DTraceAgent.WORD_SEPARATOR, Arrays.copyOfRange(args, 2, args.length));
        try {
            String problem = notAJvm(pid);
            if (problem != null) {
                fail(problem);
            }
            String reply = send(pid, id, request);
            System.out.println(reply);
            System.exit(reply.startsWith("error:") ? 1 : 0);
        } catch (AgentLoadException e) {
            fail("JVM " + pid + " did not load the agent: " + e.getMessage() + " (Java 21 and later warn about, and"
                    + " may refuse, agents loaded into a running JVM: docs/dynamic-probes.md)");
        } catch (AttachNotSupportedException | AgentInitializationException | IOException e) {
            fail("cannot attach to JVM " + pid + ": " + e.getMessage());
        }
    }

    private static String send(String pid, String id, String request)
            throws AttachNotSupportedException, IOException, AgentLoadException, AgentInitializationException {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(DTraceAgent.agentJar().getPath(), request);
            String reply = vm.getSystemProperties().getProperty(DTraceAgent.REPLY, "");
            String prefix = id + DTraceAgent.WORD_SEPARATOR;
            return reply.startsWith(prefix) ? reply.substring(prefix.length())
                    : "error: another attach command's reply came first: run this one again";
        } finally {
            vm.detach();
        }
    }

    /**
     * The Attach API starts by sending SIGQUIT, which ends a process that is not a JVM: so look first. Linux maps
     * libjvm.so into every HotSpot JVM; only the process's own user (and root) may read its maps, as for attaching.
     */
    private static String notAJvm(String pid) {
        Path maps = Path.of("/proc", pid, "maps");
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(line -> line.endsWith("/libjvm.so")) ? null
                    : "process " + pid + " is not a Java virtual machine (it has no libjvm.so mapped)";
        } catch (IOException | java.io.UncheckedIOException e) {
            return Files.exists(maps.getParent())
                    ? "cannot read " + maps + ": only the JVM's own user, and root, can attach to it"
                    : "no process " + pid;
        }
    }

    private static void fail(String message) {
        System.out.println("error: " + message);
        System.exit(1);
    }
}
