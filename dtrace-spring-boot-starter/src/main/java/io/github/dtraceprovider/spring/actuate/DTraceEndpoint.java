package io.github.dtraceprovider.spring.actuate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.provider.BpftraceCommand;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code dtrace} actuator endpoint: the provider, where its object files are, and every probe with its arguments,
 * whether a tracer is attached right now and how often it fired; and the probes dtrace-agent added to methods of this
 * JVM. It never shows argument values. Exposed over HTTP only when the application says so
 * ({@code management.endpoints.web.exposure.include=dtrace}).
 */
@Endpoint(id = "dtrace")
public class DTraceEndpoint {

    private final DTraceProvider provider;
    private final AgentMethodProbes methodProbes = new AgentMethodProbes();

    public DTraceEndpoint(DTraceProvider provider) {
        this.provider = provider;
    }

    @ReadOperation
    public ProviderDescriptor provider() {
        long pid = ProcessHandle.current().pid();
        List<ProbeDescriptor> probes = provider.probes().stream().map(probe -> describe(probe, pid)).toList();
        return new ProviderDescriptor(provider.name(), provider.module(), pid, DTraceProvider.isSupported(),
                DTraceProvider.unsupportedReason().orElse(null), provider.isEnabled(),
                provider.objectPaths().stream().map(Path::toString).toList(),
                BpftraceCommand.countFires(provider, pid), probes, methodProbes.probes());
    }

    /** One probe, by either spelling of its name; a name the provider does not have answers 404. */
    @ReadOperation
    public ProbeDescriptor probe(@Selector String name) {
        return provider.findProbe(name).map(probe -> describe(probe, ProcessHandle.current().pid())).orElse(null);
    }

    private static ProbeDescriptor describe(Probe probe, long pid) {
        List<ArgumentDescriptor> arguments = new ArrayList<>();
        for (int i = 0; i < probe.argTypes().size(); i++) {
            arguments.add(new ArgumentDescriptor(probe.argNames().get(i), probe.argTypes().get(i).declaration()));
        }
        return new ProbeDescriptor(probe.name(), probe.noteName(), arguments, probe.isEnabled(), probe.fireCount(),
                probe.failureCount(), probe.objectPath().map(Path::toString).orElse(null),
                ProbeCommands.forAnyBpftrace(probe, pid), ProbeCommands.forBpftrace024(probe, pid).orElse(null));
    }

    /**
     * @param enabled whether the provider's probes are loaded (false where unsupported or with dtrace.enabled=false)
     * @param bpftrace a command that counts the fires of every probe
     * @param methodProbes the probes dtrace-agent added to methods of this JVM; empty without the agent
     */
    public record ProviderDescriptor(String provider, String module, long pid, boolean supported,
            String unsupportedReason, boolean enabled, List<String> objectPaths, String bpftrace,
            List<ProbeDescriptor> probes, List<MethodProbeDescriptor> methodProbes) {
    }

    /**
     * @param name the name as declared, possibly with hyphens
     * @param noteName the name in the SDT note, the one tracers know
     * @param traced whether a tracer is attached to the probe right now
     * @param fireCount fires that reached a tracer
     * @param failureCount traced fires whose arguments could not be computed or encoded
     * @param bpftrace a command that prints every fire with its arguments, for any bpftrace version
     * @param bpftraceFrom024 for a probe with more than six arguments, the shorter command for bpftrace 0.24 and
     *     later ({@code arg6} and above); null otherwise
     */
    public record ProbeDescriptor(String name, String noteName, List<ArgumentDescriptor> arguments, boolean traced,
            long fireCount, long failureCount, String objectPath, String bpftrace, String bpftraceFrom024) {
    }

    /** @param type {@code int}, {@code char *} or {@code json} */
    public record ArgumentDescriptor(String name, String type) {
    }

    /**
     * A probe dtrace-agent added to methods of this JVM.
     *
     * @param name the name as given
     * @param noteName the name in the SDT note, the one tracers know
     * @param provider the provider that holds it ({@code dynamic})
     * @param method the method pattern as given ({@code com.acme.OrderRepository#find})
     * @param methods how many methods (overloads) it is woven into
     * @param firesAt {@code entry} or {@code return}
     * @param arguments the probe's argument declarations ({@code int arg0})
     * @param expressions what each argument reads, as given, in the same order
     * @param fires how often it fired while traced
     * @param failures how many fires failed because an expression threw
     */
    public record MethodProbeDescriptor(String name, String noteName, String provider, String method, int methods,
            String firesAt, List<String> arguments, List<String> expressions, long fires, long failures) {
    }
}
