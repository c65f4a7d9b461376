package io.github.dtraceprovider.agent.weaving;

import java.util.List;

import io.github.dtraceprovider.agent.ProbeDispatch;
import io.github.dtraceprovider.core.ArgType;
import io.github.dtraceprovider.core.Probe;

/**
 * An added probe behind woven code: its expressions are read only while it is traced, inside the probe's supplier,
 * so one that throws counts as the probe's failure and never reaches the application.
 */
record ProbeSlot(Probe probe, List<ArgumentExpression> expressions, int[] parameterIndexes, ArgType[] types)
        implements ProbeDispatch.Slot {

    @Override
    public boolean isTraced() {
        return probe.isEnabled();
    }

    @Override
    public void fire(Object[] arguments, Object returned, Throwable thrown, long elapsedNanos) {
        probe.fire(() -> {
            Object[] values = new Object[expressions.size()];
            for (int i = 0; i < values.length; i++) {
                try {
                    values[i] = expressions.get(i).value(types[i], parameterIndexes[i], arguments, returned, thrown,
                            elapsedNanos);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(expressions.get(i).text() + ": " + e, e);
                }
            }
            return values;
        });
    }
}
