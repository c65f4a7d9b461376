package io.github.dtraceprovider.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records the probes of a {@code @SpringBootTest}: before each test, a {@link ProbeRecorder} is attached to every
 * {@code DTraceProvider} bean of the test's application context (the starter's provider), handed to a test method
 * parameter of that type, and closed after the test.
 *
 * <pre>{@code
 * @SpringBootTest
 * @RecordProbes
 * class OrderProbesTest {
 *     @Test
 *     void placingAnOrderFiresOrderPlaced(ProbeRecorder recorder) { ... }
 * }
 * }</pre>
 *
 * <p>With JUnit's parallel execution, tests that record the same provider, such as those of one cached application
 * context, take turns, so that each sees only its own fires, from whichever thread they come; tests that record other
 * providers run alongside. A test without {@code @RecordProbes} is not held up, and its fires meanwhile are recorded.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ProbeRecorderExtension.class)
public @interface RecordProbes {
}
