package io.github.dtraceprovider.agent;

import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * The agent's entry points: from the start ({@code -javaagent:dtrace-agent.jar}, which adds nothing until asked) or
 * attached later by {@link AttachCommand}. Each attach carries one request; its reply goes to the system property
 * {@link #REPLY}. The agent's classes are loaded once, by the system class loader, so its state outlives a request.
 */
public final class DTraceAgent {

    static final String REPLY = "io.github.dtraceprovider.agent.reply";

    private static AddedProbes probes;

    private DTraceAgent() {
    }

    public static void premain(String request, Instrumentation instrumentation) {
        agentmain(request, instrumentation);
    }

    public static synchronized void agentmain(String request, Instrumentation instrumentation) {
        if (probes == null) {
            probes = new AddedProbes(instrumentation);
        }
        String reply;
        try {
            reply = request == null || request.isEmpty() ? "ready" : handle(Arrays.asList(request.split("\u001f")));
        } catch (RuntimeException e) {
            reply = "error: " + (e.getMessage() != null ? e.getMessage() : e + " at " + e.getStackTrace()[0]);
        }
        System.setProperty(REPLY, reply);
    }

    private static String handle(List<String> words) {
        if (words.equals(List.of("list"))) {
            return probes.list();
        }
        if (words.size() == 2 && words.get(0).equals("--remove")) {
            return probes.remove(words.get(1));
        }
        String name = null;
        String method = null;
        String args = "";
        for (int i = 0; i + 1 < words.size(); i += 2) {
            switch (words.get(i)) {
                case "--probe" -> name = words.get(i + 1);
                case "--method" -> method = words.get(i + 1);
                case "--args" -> args = words.get(i + 1);
                default -> throw new IllegalArgumentException("unknown option " + words.get(i));
            }
        }
        if (name == null || method == null) {
            throw new IllegalArgumentException("--probe NAME and --method 'CLASS#METHOD' are both needed");
        }
        return probes.add(name, MethodPattern.parse(method), args.isEmpty() ? List.of() : List.of(args.split(",")));
    }
}
