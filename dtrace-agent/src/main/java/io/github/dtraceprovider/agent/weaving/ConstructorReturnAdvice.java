package io.github.dtraceprovider.agent.weaving;

import io.github.dtraceprovider.agent.ProbeDispatch;
import net.bytebuddy.asm.Advice;

/**
 * {@link ReturnAdvice} for constructors: the JVM lets no handler cover the call to the super constructor, so a
 * constructor's probe fires when it returns, never when it throws.
 */
final class ConstructorReturnAdvice {

    private ConstructorReturnAdvice() {
    }

    @Advice.OnMethodEnter
    static long enter(@ProbeIndex int index) {
        return ProbeDispatch.isTraced(index) ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit
    static void exit(@ProbeIndex int index, @Advice.Enter long startNanos, @Advice.AllArguments Object[] arguments) {
        if (startNanos != 0L) {
            ProbeDispatch.fireAtReturn(index, arguments, null, null, System.nanoTime() - startNanos);
        }
    }
}
