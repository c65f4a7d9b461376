package io.github.dtraceprovider.agent;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.jar.JarFile;

/**
 * The agent's entry points: from the start ({@code -javaagent:dtrace-agent.jar}, which adds nothing until asked) or
 * attached later by {@link AttachCommand}. Each attach carries one request, whose reply goes to the system property
 * {@link #REPLY}. The agent's work is done by classes of its own loader ({@link AgentClassLoader}), made once per JVM:
 * this class is loaded once, by the system class loader, however often the jar is attached.
 */
public final class DTraceAgent {

    /**
     * The system property that holds the last reply, as {@code ID U+001F REPLY}: the Attach API returns nothing from an
     * agent, and the id tells a command its own reply from one another command's request left meanwhile.
     */
    static final String REPLY = "io.github.dtraceprovider.agent.reply";
    /** Separates a request's words: the Attach API passes one string, and refuses a NUL in it. */
    static final String WORD_SEPARATOR = "\u001f";
    private static final String REQUESTS = "io.github.dtraceprovider.agent.weaving.AgentRequests";

    private static Function<List<String>, String> requests;

    private DTraceAgent() {
    }

    public static void premain(String request, Instrumentation instrumentation) {
        agentmain(request, instrumentation);
    }

    /** {@code request} is {@code ID U+001F WORDS...} from {@link AttachCommand}, or nothing from {@code -javaagent}. */
    public static synchronized void agentmain(String request, Instrumentation instrumentation) {
        String id = "";
        String reply;
        try {
            if (requests == null) {
                requests = load(instrumentation);
            }
            if (request == null || request.isEmpty()) {
                return;
            }
            int end = request.indexOf(WORD_SEPARATOR);
            id = end < 0 ? request : request.substring(0, end);
            reply = end < 0 ? "error: an empty request"
                    : requests.apply(Arrays.asList(request.substring(end + 1).split(WORD_SEPARATOR)));
        } catch (Exception | LinkageError e) {
            // the application runs on whatever happens here: the reply is the only one to hear of it
            reply = "error: the agent could not start: " + e;
        }
        System.setProperty(REPLY, id + WORD_SEPARATOR + reply);
    }

    @SuppressWarnings("unchecked")
    private static Function<List<String>, String> load(Instrumentation instrumentation) throws Exception {
        File jar = agentJar();
        ClassLoader loader = new AgentClassLoader(new JarFile(jar), jar.toURI().toURL());
        return (Function<List<String>, String>) loader.loadClass(REQUESTS).getConstructor(Instrumentation.class)
                .newInstance(instrumentation);
    }

    /** The jar this class came from: the agent that {@link AttachCommand} loads, and where its inner classes are. */
    static File agentJar() throws IOException {
        URL location = DTraceAgent.class.getProtectionDomain().getCodeSource().getLocation();
        try {
            return new File(location.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("the agent jar's location " + location + " is not a file", e);
        }
    }
}
