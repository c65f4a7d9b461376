package io.github.dtraceprovider.agent.weaving;

import io.github.dtraceprovider.agent.ProbeDispatch;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Woven around a probed method whose probe reads what the call returned, threw or took. The clock is read only if
 * the probe is traced on entry; a call entered untraced fires nothing, even if a tracer attaches meanwhile.
 */
final class ReturnAdvice {

    private ReturnAdvice() {
    }

    @Advice.OnMethodEnter
    static long enter(@ProbeIndex int index) {
        return ProbeDispatch.isTraced(index) ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@ProbeIndex int index, @Advice.Enter long startNanos, @Advice.AllArguments Object[] arguments,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable thrown) {
        if (startNanos != 0L) {
            ProbeDispatch.fireAtReturn(index, arguments, returned, thrown, System.nanoTime() - startNanos);
        }
    }
}
