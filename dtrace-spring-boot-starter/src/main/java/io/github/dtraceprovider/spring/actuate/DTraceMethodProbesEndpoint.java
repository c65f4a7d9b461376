package io.github.dtraceprovider.spring.actuate;

import java.util.List;

import io.github.dtraceprovider.spring.actuate.AgentMethodProbes.Reply;
import io.github.dtraceprovider.spring.actuate.DTraceEndpoint.MethodProbeDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code dtracemethodprobes} actuator endpoint: the probes dtrace-agent added to methods of this JVM and, where the
 * application allows it, adding and removing them. Adding one weaves code into the running JVM, so Spring Boot's
 * access control keeps the endpoint read-only unless {@code management.endpoint.dtracemethodprobes.access=unrestricted}
 * says otherwise; apart from the {@code dtrace} endpoint, so that allowing these writes opens nothing else. Web only:
 * the agent's own MXBean already serves JMX clients.
 */
@WebEndpoint(id = "dtracemethodprobes", defaultAccess = Access.READ_ONLY)
public class DTraceMethodProbesEndpoint {

    /** The agent is not loaded: loading it, then trying again, succeeds. */
    static final int STATUS_CONFLICT = 409;

    private final AgentMethodProbes agent = new AgentMethodProbes();

    @ReadOperation
    public MethodProbesDescriptor methodProbes() {
        return new MethodProbesDescriptor(agent.agentLoaded(), agent.probes());
    }

    /**
     * {@code POST /actuator/dtracemethodprobes/{name}} with {@code {"method": "CLASS#METHOD[(TYPE,...)]",
     * "args": "EXPR,..."}}, as the agent's {@code --method} and {@code --args}.
     */
    @WriteOperation
    public WebEndpointResponse<ReplyDescriptor> add(@Selector String name, String method, @Nullable String args) {
        return respond(agent.add(name, method, args == null ? "" : args));
    }

    @DeleteOperation
    public WebEndpointResponse<ReplyDescriptor> remove(@Selector String name) {
        return respond(agent.remove(name));
    }

    private static WebEndpointResponse<ReplyDescriptor> respond(Reply reply) {
        int status = switch (reply.outcome()) {
            case DONE -> WebEndpointResponse.STATUS_OK;
            case REFUSED -> WebEndpointResponse.STATUS_BAD_REQUEST;
            case NO_AGENT -> STATUS_CONFLICT;
        };
        return new WebEndpointResponse<>(new ReplyDescriptor(reply.message()), status);
    }

    /** @param agentLoaded whether dtrace-agent runs in this JVM; without it, {@code probes} is empty */
    public record MethodProbesDescriptor(boolean agentLoaded, List<MethodProbeDescriptor> probes) {
    }

    /** @param message the agent's one-line reply or refusal, or why there is no agent to ask */
    public record ReplyDescriptor(String message) {
    }
}
