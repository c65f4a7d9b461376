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
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ProbeRecorderExtension.class)
public @interface RecordProbes {
}
