package io.github.dtraceprovider.agent.weaving;

import java.util.List;

/** The MXBean's side of {@link AddedProbes}. */
final class AddedMethodProbes implements AddedMethodProbesMXBean {

    private final AddedProbes probes;

    AddedMethodProbes(AddedProbes probes) {
        this.probes = probes;
    }

    @Override
    public List<AddedMethodProbe> getProbes() {
        return probes.list();
    }

    @Override
    public String add(String name, String method, String arguments) {
        return probes.add(name, method, arguments == null ? "" : arguments);
    }

    @Override
    public String remove(String name) {
        return probes.remove(name);
    }
}
