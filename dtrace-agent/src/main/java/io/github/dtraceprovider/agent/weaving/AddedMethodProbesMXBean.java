package io.github.dtraceprovider.agent.weaving;

import java.util.List;

/**
 * The added probes, for any JMX client: the starter's actuator endpoint reads {@code Probes} and calls {@code add}
 * and {@code remove} with no class of the agent's. A refusal is an {@link IllegalArgumentException} whose message is
 * meant for the user.
 */
public interface AddedMethodProbesMXBean {

    String OBJECT_NAME = "io.github.dtraceprovider:type=AddedMethodProbes";

    List<AddedMethodProbe> getProbes();

    /** As {@code attach PID --probe NAME --method METHOD --args ARGUMENTS}; the arguments may be empty. */
    String add(String name, String method, String arguments);

    String remove(String name);
}
