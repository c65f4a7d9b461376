package io.github.dtraceprovider.spring.observation;

/**
 * An observation between {@code observation-start} and {@code observation-stop}, kept in its context under this
 * class as the key. Only an observation that started while a probe was traced has one.
 *
 * @param id pairs the start with the stop fire; unique in the process
 */
public record InFlightObservation(long id, long startNanos) {
}
