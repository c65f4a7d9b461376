package io.github.dtraceprovider.agent;

import java.io.File;
import java.net.URISyntaxException;
import java.util.Arrays;

import com.sun.tools.attach.VirtualMachine;

/**
 * {@code java -jar dtrace-agent.jar attach PID REQUEST...}: loads this jar as an agent into JVM PID (the Attach API
 * lets only the JVM's own user do that) and hands it the request; the agent answers through a system property of
 * that JVM, which the command prints.
 */
public final class AttachCommand {

    private AttachCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !args[0].equals("attach")) {
            System.err.println("""
                    usage: java -jar dtrace-agent.jar attach PID --probe NAME --method 'CLASS#METHOD' [--args 'arg0,...']
                           java -jar dtrace-agent.jar attach PID --remove NAME
                           java -jar dtrace-agent.jar attach PID list""");
            System.exit(2);
        }
        String request = String.join(DTraceAgent.WORD_SEPARATOR, Arrays.copyOfRange(args, 2, args.length));
        VirtualMachine vm = VirtualMachine.attach(args[1]);
        try {
            vm.loadAgent(agentJar(), request);
            String reply = vm.getSystemProperties().getProperty(DTraceAgent.REPLY, "no reply");
            System.out.println(reply);
            if (reply.startsWith("error:")) {
                System.exit(1);
            }
        } finally {
            vm.detach();
        }
    }

    private static String agentJar() throws URISyntaxException {
        return new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
