package io.github.dtraceprovider.spring.traced;

/**
 * What the probes of one {@code @Traced} method of one bean class say, resolved on its first call.
 *
 * @param applicationProbe the probe that {@code @Traced(probe = ...)} names, or null
 */
record TracedMethod(String className, String methodName, ApplicationProbeCall applicationProbe) {
}
