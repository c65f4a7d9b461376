package io.github.dtraceprovider.spring.e2e;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Stands in for dtrace-agent's MXBean, registered in the platform MBean server under the agent's name: the starter
 * knows the agent only through that JMX contract, and its tests run before the agent is built. It keeps the probes it
 * is asked to add without weaving anything, and refuses a name twice or an unknown one as the agent does; the real
 * agent behind the endpoint is checked in dtrace-agent's own tests.
 */
public final class AgentMXBeanStandIn implements AddedMethodProbesMXBean, AutoCloseable {

    private static final String OBJECT_NAME = "io.github.dtraceprovider:type=AddedMethodProbes";

    private final Map<String, AddedProbe> probes = new LinkedHashMap<>();

    private AgentMXBeanStandIn() {
    }

    /** Registers a stand-in without probes; {@link #close()} unregisters it. */
    public static AgentMXBeanStandIn register() throws JMException {
        AgentMXBeanStandIn standIn = new AgentMXBeanStandIn();
        ManagementFactory.getPlatformMBeanServer().registerMBean(standIn, new ObjectName(OBJECT_NAME));
        return standIn;
    }

    @Override
    public synchronized AddedProbe[] getProbes() {
        return probes.values().toArray(AddedProbe[]::new);
    }

    /** Every expression of {@code arguments} becomes a {@code long} argument, fired at entry. */
    @Override
    public synchronized String add(String name, String method, String arguments) {
        if (probes.containsKey(name)) {
            throw new IllegalArgumentException("probe " + name + " is added already: remove it first");
        }
        String[] expressions = arguments.isBlank() ? new String[0] : arguments.split(",");
        String[] declarations = new String[expressions.length];
        for (int i = 0; i < expressions.length; i++) {
            declarations[i] = "long arg" + i;
        }
        AddedProbe probe = new AddedProbe(name, name.replace("-", "__"), method, declarations, expressions);
        probes.put(name, probe);
        return "added dynamic:" + probe.getNoteName() + " to 1 method(s) of " + method;
    }

    @Override
    public synchronized String remove(String name) {
        AddedProbe probe = probes.remove(name);
        if (probe == null) {
            throw new IllegalArgumentException("no probe " + name + " is added");
        }
        return "removed " + name + " from " + probe.getMethod();
    }

    synchronized boolean has(String name) {
        return probes.containsKey(name);
    }

    @Override
    public void close() throws JMException {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(OBJECT_NAME));
    }

    /** One item of {@code Probes}: the MXBean mapping makes a {@code CompositeData} of its getters. */
    public static final class AddedProbe {

        private final String name;
        private final String noteName;
        private final String method;
        private final String[] arguments;
        private final String[] expressions;

        AddedProbe(String name, String noteName, String method, String[] arguments, String[] expressions) {
            this.name = name;
            this.noteName = noteName;
            this.method = method;
            this.arguments = arguments;
            this.expressions = expressions;
        }

        public String getName() {
            return name;
        }

        public String getNoteName() {
            return noteName;
        }

        public String getProvider() {
            return "dynamic";
        }

        public String getMethod() {
            return method;
        }

        public int getMethods() {
            return 1;
        }

        public String getFiresAt() {
            return "entry";
        }

        public String[] getArguments() {
            return arguments.clone();
        }

        public String[] getExpressions() {
            return expressions.clone();
        }

        public long getFires() {
            return 0;
        }

        public long getFailures() {
            return 0;
        }
    }
}
