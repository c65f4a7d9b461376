package io.github.dtraceprovider.agent.weaving;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Function;

import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Answers the requests of {@code java -jar dtrace-agent.jar attach}, the words after {@code attach PID},
 * and publishes the same probes as the MXBean {@value AddedMethodProbesMXBean#OBJECT_NAME}, which the starter's
 * actuator endpoint reads. A refusal is a reply starting with {@code error:}.
 */
public final class AgentRequests implements Function<List<String>, String> {

    private final AddedProbes probes;

    public AgentRequests(Instrumentation instrumentation) throws JMException, ClassNotFoundException {
        initialiseByteBuddyWithoutNexus();
        this.probes = new AddedProbes(instrumentation);
        ManagementFactory.getPlatformMBeanServer().registerMBean(
                new StandardMBean(new AddedMethodProbes(probes), AddedMethodProbesMXBean.class, true),
                new ObjectName(AddedMethodProbesMXBean.OBJECT_NAME));
    }

    /**
     * Byte Buddy's agent builder would inject its {@code Nexus} class into the system class loader, the application's,
     * through {@code sun.misc.Unsafe} (which Java 24+ warns about in the application's output). Advice woven with
     * class format changes disabled never needs it. Byte Buddy reads the switch once, as its accessor is initialised
     * here, in the agent's own loader: it is set only meanwhile, so an application's own Byte Buddy never sees it.
     */
    private static void initialiseByteBuddyWithoutNexus() throws ClassNotFoundException {
        String switchName = "net.bytebuddy.nexus.disabled";
        String before = System.getProperty(switchName);
        System.setProperty(switchName, "true");
        try {
            Class.forName("net.bytebuddy.dynamic.NexusAccessor", true, AgentRequests.class.getClassLoader());
        } finally {
            if (before == null) {
                System.clearProperty(switchName);
            } else {
                System.setProperty(switchName, before);
            }
        }
    }

    @Override
    public String apply(List<String> words) {
        try {
            return handle(words);
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            return "error: " + e + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        }
    }

    private String handle(List<String> words) {
        if (words.equals(List.of("list"))) {
            List<AddedMethodProbe> added = probes.list();
            return added.isEmpty() ? "no probes added" : String.join("\n", added.stream()
                    .map(AddedMethodProbe::toString).toList());
        }
        if (words.size() == 2 && words.get(0).equals("--remove")) {
            return probes.remove(words.get(1));
        }
        String name = null;
        String method = null;
        String args = "";
        for (int i = 0; i < words.size(); i += 2) {
            if (i + 1 == words.size()) {
                throw new IllegalArgumentException(words.get(i) + " needs a value");
            }
            switch (words.get(i)) {
                case "--probe" -> name = words.get(i + 1);
                case "--method" -> method = words.get(i + 1);
                case "--args" -> args = words.get(i + 1);
                default -> throw new IllegalArgumentException("unknown option " + words.get(i)
                        + "; the options are --probe NAME --method 'CLASS#METHOD' [--args 'EXPR,...'], "
                        + "--remove NAME and list");
            }
        }
        if (name == null || method == null) {
            throw new IllegalArgumentException("--probe NAME and --method 'CLASS#METHOD' are both needed");
        }
        return probes.add(name, method, args);
    }
}
