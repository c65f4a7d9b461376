package io.github.dtraceprovider.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A missing tool fails a test wherever the environment variable CI holds a true value, as CI services set it
 * ({@code true}, {@code 1}, {@code yes}, in any case), and only skips it elsewhere. Each value is tried in a child
 * JVM, since a JVM cannot change its own environment.
 */
class ToolsTest {

    private static final String UNSET = "(unset)";

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1", "yes", "YES", " true "})
    void aTrueCiValueTurnsAMissingToolIntoAFailure(String ci) {
        assertThat(outcomeWithCi(ci)).isEqualTo("failed: Required tracing tool missing on CI: the tool");
    }

    @ParameterizedTest
    @ValueSource(strings = {UNSET, "", "false", "0", "no", "off", "maybe"})
    void anyOtherCiValueSkips(String ci) {
        assertThat(outcomeWithCi(ci)).isEqualTo("skipped: Assumption failed: Skipped: the tool");
    }

    private static String outcomeWithCi(String ci) {
        Map<String, String> environment = new HashMap<>();
        environment.put("CI", ci.equals(UNSET) ? null : ci);
        try (ChildJvm child = ChildJvm.start(MissingTool.class, List.of(), environment)) {
            return child.awaitLine("outcome: ", Duration.ofSeconds(30));
        }
    }

    /** Runs in the child JVM: asks for a tool that is missing and prints what happened. */
    public static final class MissingTool {

        public static void main(String[] args) {
            try {
                Tools.assumeCondition(false, "the tool");
                System.out.println("outcome: went on");
            } catch (TestAbortedException skipped) {
                System.out.println("outcome: skipped: " + skipped.getMessage());
            } catch (AssertionError failed) {
                System.out.println("outcome: failed: " + failed.getMessage());
            }
        }
    }
}
