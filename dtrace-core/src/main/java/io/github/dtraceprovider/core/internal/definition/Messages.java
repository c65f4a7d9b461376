package io.github.dtraceprovider.core.internal.definition;

import java.util.List;

/** How user-supplied values and exceptions appear in the library's one-line messages. */
public final class Messages {

    /** Longer values are cut: a message names a value, it does not reproduce it. */
    private static final int MAX_SHOWN = 100;
    /** Deeper causes are left out: the first few say what went wrong. */
    private static final int MAX_CAUSES = 4;
    private static final String OWN_PACKAGES = "io.github.dtraceprovider.";
    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    private Messages() {
    }

    /**
     * Quotes a user-supplied value for a message, keeping the message on one line and readable: control
     * characters, line and paragraph separators (which some log viewers break lines at) and invisible format
     * characters (zero-width spaces, bidirectional overrides that reorder what a reader sees) are escaped.
     */
    public static String quote(String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value;
        return '"' + escape(shown) + '"';
    }

    /**
     * An exception thrown by application code (a supplier, a toString(), a JSON encoder), for a warning: the classes
     * of it and its causes, and the first frame outside the JDK where the innermost one was thrown. Not its message:
     * an exception about a value quotes it (a parse error names the card number it could not parse), and a line
     * break in it would forge a log record of its own. Only this project's own exception types keep their message,
     * quoted: they name definitions, never values.
     */
    public static String describe(Throwable t) {
        try {
            StringBuilder described = new StringBuilder();
            Throwable innermost = t;
            int depth = 0;
            for (Throwable cause = t; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
                String name = cause.getClass().getName();
                described.append(depth == 0 ? "" : " caused by ").append(escape(name));
                if (name.startsWith(OWN_PACKAGES) && cause.getMessage() != null) {
                    described.append(' ').append(quote(cause.getMessage()));
                }
                innermost = cause;
            }
            for (StackTraceElement frame : innermost.getStackTrace()) {
                if (JDK_PACKAGES.stream().noneMatch(frame.getClassName()::startsWith)) {
                    return described.append(" at ").append(escape(frame.toString())).toString();
                }
            }
            return described.toString();
        } catch (Throwable undescribable) {
            // getCause() and getStackTrace() can be overridden, and fail like any user code
            return escape(t.getClass().getName());
        }
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (isUnprintable(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean isUnprintable(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
