package io.github.dtraceprovider.spring.actuate;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Stream;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import io.github.dtraceprovider.spring.actuate.DTraceEndpoint.MethodProbeDescriptor;

/**
 * The method probes dtrace-agent added to this JVM, read and changed through the MXBean the agent registers in the
 * platform MBean server. The agent lives in a class loader of its own and may be attached long after the application
 * started, so this JMX contract is all the starter knows of it: none of the agent's classes.
 */
final class AgentMethodProbes {

    static final String OBJECT_NAME = "io.github.dtraceprovider:type=AddedMethodProbes";
    static final String NO_AGENT = "dtrace-agent is not loaded in this JVM: load it with java -jar"
            + " dtrace-agent.jar attach " + ProcessHandle.current().pid() + " list, or start the JVM with"
            + " -javaagent:dtrace-agent.jar";

    private static final String[] STRINGS_1 = { String.class.getName() };
    private static final String[] STRINGS_3 = { String.class.getName(), String.class.getName(),
            String.class.getName() };

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName agent;

    AgentMethodProbes() {
        try {
            agent = new ObjectName(OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean agentLoaded() {
        return server.isRegistered(agent);
    }

    /** Every added method probe; none while the agent is not loaded. */
    List<MethodProbeDescriptor> probes() {
        try {
            CompositeData[] probes = (CompositeData[]) server.getAttribute(agent, "Probes");
            return Stream.of(probes).map(AgentMethodProbes::describe).toList();
        } catch (InstanceNotFoundException e) {
            return List.of();
        } catch (JMException e) {
            throw new IllegalStateException("Could not read the probes of " + OBJECT_NAME, e);
        }
    }

    /** Adds probe {@code name} to {@code method}; {@code arguments} is the text of the agent's {@code --args}. */
    Reply add(String name, String method, String arguments) {
        return invoke("add", new Object[] { name, method, arguments }, STRINGS_3);
    }

    Reply remove(String name) {
        return invoke("remove", new Object[] { name }, STRINGS_1);
    }

    private Reply invoke(String operation, Object[] parameters, String[] signature) {
        try {
            return new Reply(Outcome.DONE, (String) server.invoke(agent, operation, parameters, signature));
        } catch (InstanceNotFoundException e) {
            return new Reply(Outcome.NO_AGENT, NO_AGENT);
        } catch (JMException | RuntimeException e) {
            // The agent refuses with an IllegalArgumentException, which the MBean server hands on wrapped.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException refusal) {
                    return new Reply(Outcome.REFUSED, refusal.getMessage());
                }
            }
            throw new IllegalStateException("dtrace-agent failed to " + operation + " a probe", e);
        }
    }

    private static MethodProbeDescriptor describe(CompositeData probe) {
        return new MethodProbeDescriptor((String) probe.get("name"), (String) probe.get("noteName"),
                (String) probe.get("provider"), (String) probe.get("method"), (Integer) probe.get("methods"),
                (String) probe.get("firesAt"), List.of((String[]) probe.get("arguments")),
                List.of((String[]) probe.get("expressions")), (Long) probe.get("fires"), (Long) probe.get("failures"));
    }

    enum Outcome { DONE, REFUSED, NO_AGENT }

    /** @param message the agent's one-line reply, its refusal, or {@link #NO_AGENT} */
    record Reply(Outcome outcome, String message) {
    }
}
