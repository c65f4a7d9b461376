package io.github.dtraceprovider.spring.traced;

/**
 * A {@code @Traced} argument expression that failed while its probe was traced. dtrace-core logs the message of this
 * project's own exceptions, so it names the definition only (the method, the argument, the expression), never a
 * value; what failed and where is in the cause, which dtrace-core logs by class and frame.
 */
final class ArgumentExpressionException extends RuntimeException {

    ArgumentExpressionException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
