package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.spring.e2e.AgentMXBeanStandIn.AddedProbe;

/** dtrace-agent's JMX contract, as {@link AgentMXBeanStandIn} implements it. */
public interface AddedMethodProbesMXBean {

    /** Attribute {@code Probes}. */
    AddedProbe[] getProbes();

    String add(String name, String method, String arguments);

    String remove(String name);
}
