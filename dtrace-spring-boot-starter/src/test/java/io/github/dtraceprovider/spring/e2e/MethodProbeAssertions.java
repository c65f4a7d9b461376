package io.github.dtraceprovider.spring.e2e;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.testing.Bpftrace;
import io.github.dtraceprovider.testing.BpftraceBuild;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;

/**
 * Attaches bpftrace to the method probes of this JVM and checks what {@link GreetingService}'s calls fire: an entry
 * line, and a return line with a positive duration and the exception the method threw, if any.
 */
final class MethodProbeAssertions {

    private MethodProbeAssertions() {
    }

    /** bpftrace attached to {@code method__entry} and {@code method__return}, once both are traced. */
    static Bpftrace attach(BpftraceBuild build, DTraceProvider provider) {
        build.assumeAvailable();
        Bpftrace bpftrace = Bpftrace.attach(build, PID, """
                usdt::%1$s:method__entry { printf("entry %%s.%%s\\n", str(arg0), str(arg1)); }
                usdt::%1$s:method__return { printf("return %%s.%%s %%ld [%%s]\\n", str(arg0), str(arg1), arg2, str(arg3)); }
                """.formatted(provider.name()));
        awaitTraced(provider.probe("method-entry"), provider.probe("method-return"));
        return bpftrace;
    }

    /** A plain call fires entry and return; a call that throws returns with its exception's class. */
    static void assertPlainAndFailingCalls(Bpftrace bpftrace, GreetingService greetings) {
        greetings.greet("ada");
        bpftrace.awaitLine("entry GreetingService.greet", TIMEOUT);
        bpftrace.awaitLine("return GreetingService.greet [1-9]\\d* \\[\\]", TIMEOUT);
        bpftrace.awaitLine("return GreetingService.fail [1-9]\\d* \\[java.lang.IllegalStateException\\]", TIMEOUT,
                () -> {
                    try {
                        greetings.fail("on purpose");
                    } catch (IllegalStateException expected) {
                        // the method's own exception, unchanged by the probes
                    }
                });
    }
}
