package io.wslistener.sink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tells whether UTF-8 bytes are exactly one JSON value (RFC 8259), in one pass and without allocating, and whether
 * that value has line breaks between its tokens (which a JSON Lines record must not have).
 * <p>
 * Jackson's streaming parser gives the same answer, but creating and releasing a parser per message cost about 40% of
 * the delivery thread's time at a few hundred thousand messages per second; the file sink asks this for every message
 * it writes as JSON Lines. It reads the bytes the sink writes anyway, and skips through the inside of strings, where
 * most of a message is, eight bytes at a time: a word is looked at byte by byte only when one of its bytes is a quote,
 * a backslash or a control character. Nesting deeper than {@value #MAX_DEPTH} counts as not JSON (the text is then
 * written as a JSON string, so nothing is lost) and keeps the recursion bounded.
 */
final class JsonSyntax {

    static final int MAX_DEPTH = 256;

    /** {@link #check} found no JSON value, or more than one. */
    static final int INVALID = -1;
    /** {@link #check} found one JSON value, on one line. */
    static final int VALID = 0;
    /** {@link #check} found one JSON value with line breaks ({@code \n}, {@code \r}) as whitespace between tokens. */
    static final int VALID_WITH_LINE_BREAKS = 1;

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long SPACES = ' ' * ONES;

    private final byte[] b;
    private final int end;
    private boolean lineBreaks;

    private JsonSyntax(byte[] bytes, int end) {
        this.b = bytes;
        this.end = end;
    }

    /** True when the text is exactly one JSON value. */
    static boolean isValid(String text) {
        return check(text.getBytes(StandardCharsets.UTF_8)) != INVALID;
    }

    /** {@link #INVALID}, {@link #VALID} or {@link #VALID_WITH_LINE_BREAKS} for the whole of {@code utf8}. */
    static int check(byte[] utf8) {
        JsonSyntax scan = new JsonSyntax(utf8, utf8.length);
        int at = scan.value(scan.skipWhitespace(0), 0);
        if (at < 0 || scan.skipWhitespace(at) != scan.end) {
            return INVALID;
        }
        return scan.lineBreaks ? VALID_WITH_LINE_BREAKS : VALID;
    }

    /** Where the value starting at {@code at} ends, or -1 when there is none. */
    private int value(int at, int depth) {
        if (at < 0 || at >= end) {
            return -1;
        }
        byte c = b[at];
        return switch (c) {
            case '{' -> object(at + 1, depth + 1);
            case '[' -> array(at + 1, depth + 1);
            case '"' -> string(at + 1);
            case 't' -> literal(at, "true");
            case 'f' -> literal(at, "false");
            case 'n' -> literal(at, "null");
            default -> c == '-' || isDigit(c) ? number(at) : -1;
        };
    }

    private int object(int at, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        at = skipWhitespace(at);
        if (at < end && b[at] == '}') {
            return at + 1;
        }
        while (true) {
            if (at >= end || b[at] != '"') {
                return -1;
            }
            at = skipWhitespace(string(at + 1));
            if (at < 0 || at >= end || b[at] != ':') {
                return -1;
            }
            at = value(skipWhitespace(at + 1), depth);
            if (at < 0) {
                return -1;
            }
            at = skipWhitespace(at);
            if (at >= end) {
                return -1;
            }
            byte c = b[at];
            if (c == '}') {
                return at + 1;
            }
            if (c != ',') {
                return -1;
            }
            at = skipWhitespace(at + 1);
        }
    }

    private int array(int at, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        at = skipWhitespace(at);
        if (at < end && b[at] == ']') {
            return at + 1;
        }
        while (true) {
            at = value(at, depth);
            if (at < 0) {
                return -1;
            }
            at = skipWhitespace(at);
            if (at >= end) {
                return -1;
            }
            byte c = b[at];
            if (c == ']') {
                return at + 1;
            }
            if (c != ',') {
                return -1;
            }
            at = skipWhitespace(at + 1);
        }
    }

    /** {@code at} is just after the opening quote. Bytes of 0x80 and above (UTF-8 beyond ASCII) are string content. */
    private int string(int at) {
        while (true) {
            while (at + Long.BYTES <= end && !needsALook((long) WORDS.get(b, at))) {
                at += Long.BYTES;
            }
            if (at >= end) {
                return -1;
            }
            int c = b[at++] & 0xff;
            if (c == '"') {
                return at;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (at >= end) {
                    return -1;
                }
                switch (b[at++]) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (at + 4 > end) {
                            return -1;
                        }
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(b[at + i], 16) < 0) {
                                return -1;
                            }
                        }
                        at += 4;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
        }
    }

    /**
     * Whether any of the eight bytes is a quote, a backslash or below 0x20 (the zero-byte and less-than tests of
     * "Bit Twiddling Hacks"): never false when one is; sometimes true when none is, which costs only a slower look.
     */
    private static boolean needsALook(long word) {
        long quote = word ^ QUOTES;
        long backslash = word ^ BACKSLASHES;
        long found = ((quote - ONES) & ~quote)
                | ((backslash - ONES) & ~backslash)
                | ((word - SPACES) & ~word);
        return (found & HIGH_BITS) != 0;
    }

    private int number(int at) {
        if (b[at] == '-') {
            at++;
        }
        if (at >= end) {
            return -1;
        }
        byte first = b[at];
        if (first == '0') {
            at++;
        } else if (isDigit(first)) {
            at = digits(at);
        } else {
            return -1;
        }
        if (at < end && b[at] == '.') {
            int after = digits(at + 1);
            if (after == at + 1) {
                return -1;
            }
            at = after;
        }
        if (at < end && (b[at] == 'e' || b[at] == 'E')) {
            at++;
            if (at < end && (b[at] == '+' || b[at] == '-')) {
                at++;
            }
            int after = digits(at);
            if (after == at) {
                return -1;
            }
            at = after;
        }
        return at;
    }

    private int digits(int at) {
        while (at < end && isDigit(b[at])) {
            at++;
        }
        return at;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private int literal(int at, String word) {
        if (at + word.length() > end) {
            return -1;
        }
        for (int i = 0; i < word.length(); i++) {
            if (b[at + i] != word.charAt(i)) {
                return -1;
            }
        }
        return at + word.length();
    }

    private int skipWhitespace(int at) {
        if (at < 0) {
            return at;
        }
        while (at < end) {
            byte c = b[at];
            if (c == '\n' || c == '\r') {
                lineBreaks = true;
            } else if (c != ' ' && c != '\t') {
                break;
            }
            at++;
        }
        return at;
    }
}
