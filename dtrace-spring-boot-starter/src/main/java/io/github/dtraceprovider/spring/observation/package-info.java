/**
 * Probes for every Micrometer Observation, {@code observation-start} and {@code observation-stop}
 * ({@code dtrace.observations.*}): outgoing HTTP calls, {@code @Observed} methods, {@code @Scheduled} tasks and
 * whatever else the application's ObservationRegistry observes.
 */
package io.github.dtraceprovider.spring.observation;
