package io.github.dtraceprovider.agent.weaving;

import io.github.dtraceprovider.agent.ProbeDispatch;
import net.bytebuddy.asm.Advice;

/**
 * Woven into the start of a probed method. Inlined, its parameters are read where the code reads them: the
 * arguments' array is built only inside the branch, so an untraced call costs one semaphore read.
 */
final class ProbeAdvice {

    private ProbeAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@ProbeIndex int index, @Advice.AllArguments Object[] arguments) {
        if (ProbeDispatch.isTraced(index)) {
            ProbeDispatch.fire(index, arguments);
        }
    }
}
