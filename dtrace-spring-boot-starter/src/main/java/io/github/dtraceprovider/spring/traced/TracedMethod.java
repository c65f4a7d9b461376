package io.github.dtraceprovider.spring.traced;

/**
 * What the probes of one {@code @Traced} method of one bean class say, resolved on its first call.
 *
 * @param applicationProbe the probe that {@code @Traced(probe = ...)} names, or null
 */
record TracedMethod(MethodProbes probes, String className, String methodName, ApplicationProbeCall applicationProbe) {

    /** True while method-entry, method-return or this method's application probe is traced. */
    boolean isTraced() {
        return probes.isTraced() || (applicationProbe != null && applicationProbe.isTraced());
    }
}
