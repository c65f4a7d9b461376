package io.github.dtraceprovider.core.internal;

/** How user-supplied values appear in the library's one-line messages. */
public final class Messages {

    /** Longer values are cut: a message names a value, it does not reproduce it. */
    private static final int MAX_SHOWN = 100;

    private Messages() {
    }

    /**
     * Quotes a user-supplied value for a message, keeping the message on one line and readable: control
     * characters, line and paragraph separators (which some log viewers break lines at) and invisible format
     * characters (zero-width spaces, bidirectional overrides that reorder what a reader sees) are escaped.
     */
    public static String quote(String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value;
        StringBuilder quoted = new StringBuilder(shown.length() + 2).append('"');
        for (char c : shown.toCharArray()) {
            if (isUnprintable(c)) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static boolean isUnprintable(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
