package io.github.dtraceprovider.core.internal.definition;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessagesTest {

    @Test
    void anExceptionIsItsClassesAndWhereItWasThrownNeverItsMessage() {
        Exception thrown = new IllegalStateException("wrapped 4111 1111 1111 1111",
                new NumberFormatException("For input string: \"4111 1111 1111 1111\"\nSEVERE: fake log line"));

        assertThat(Messages.describe(thrown))
                .startsWith("java.lang.IllegalStateException caused by java.lang.NumberFormatException at "
                        + MessagesTest.class.getName() + ".anExceptionIsItsClassesAndWhereItWasThrownNeverItsMessage(")
                .doesNotContain("4111").doesNotContain("SEVERE").doesNotContain("\n");
    }

    @Test
    void thisProjectsOwnExceptionsKeepTheirMessageOnOneLine() {
        assertThat(Messages.describe(new OwnException("argument '#card'\nfailed")))
                .startsWith(OwnException.class.getName() + " \"argument '#card'\\u000afailed\" at ");
    }

    @Test
    void aLongChainShowsItsFirstFourExceptions() {
        Throwable chain = new RuntimeException("0");
        for (int i = 1; i < 10; i++) {
            chain = new RuntimeException(String.valueOf(i), chain);
        }
        assertThat(Messages.describe(chain).split(" caused by ")).hasSize(4);
    }

    @Test
    void anExceptionThatCannotBeDescribedIsItsClass() {
        Exception broken = new IllegalArgumentException() {
            @Override
            public StackTraceElement[] getStackTrace() {
                throw new IllegalStateException("no frames");
            }
        };
        assertThat(Messages.describe(broken)).isEqualTo(broken.getClass().getName());
    }

    private static final class OwnException extends RuntimeException {
        OwnException(String message) {
            super(message);
        }
    }
}
