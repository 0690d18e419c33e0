package io.wslistener.policy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a handshake header may be: a name that is an HTTP token, a value without line breaks or other control characters
 * (a line break would end the header and smuggle in another), and all of them together no more than
 * {@link #MAX_TOTAL_BYTES}, the request header size most servers accept. Checked at start for what is known then, and
 * again before every connect for values computed then. Messages name the header, never its value.
 */
public final class HandshakeHeaderRules {

    /** Names and values of all handshake headers together, in UTF-8 bytes, with ": " and CRLF per header. */
    public static final int MAX_TOTAL_BYTES = 8192;

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HandshakeHeaderRules() {
    }

    /** @return what is wrong with this header name, or null when it is a valid HTTP token */
    public static String problemWithName(String name) {
        if (name == null || name.isEmpty()) {
            return "a header name must not be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0))) {
                return "header name '" + printable(name) + "' may hold only letters, digits and " + TOKEN_SYMBOLS;
            }
        }
        return null;
    }

    /** @return what is wrong with the value of this header, or null when it has no control characters */
    public static String problemWithValue(String name, String value) {
        if (value == null) {
            return "header " + name + " has no value";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return "the value of header " + name + " holds a line break or another control character";
            }
        }
        return null;
    }

    /**
     * Checks every header and the total size.
     *
     * @throws IllegalArgumentException naming the header and the rule, never the value
     */
    public static void check(Iterable<Map.Entry<String, String>> headers) {
        int total = 0;
        for (Map.Entry<String, String> header : headers) {
            String problem = problemWithName(header.getKey());
            if (problem == null) {
                problem = problemWithValue(header.getKey(), header.getValue());
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            total += size(header.getKey(), header.getValue());
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("the handshake headers take " + total + " bytes, more than the "
                                               + MAX_TOTAL_BYTES + " bytes servers accept");
        }
    }

    static int size(String name, String value) {
        return name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 4;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7F ? '?' : c));
        return out.toString();
    }
}
