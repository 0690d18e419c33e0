package io.wslistener.sink;

/**
 * Tells whether a text is exactly one JSON value (RFC 8259), in one pass and without allocating.
 * <p>
 * Jackson's streaming parser gives the same answer, but creating and releasing a parser per message cost about 40% of
 * the delivery thread's time at a few hundred thousand messages per second; the file sink asks this for every message
 * it writes as JSON Lines. Nesting deeper than {@value #MAX_DEPTH} counts as not JSON (the text is then written as a
 * JSON string, so nothing is lost) and keeps the recursion bounded.
 */
final class JsonSyntax {

    static final int MAX_DEPTH = 256;

    private JsonSyntax() {
    }

    static boolean isValid(String text) {
        int end = text.length();
        int at = value(text, skipWhitespace(text, 0, end), end, 0);
        return at >= 0 && skipWhitespace(text, at, end) == end;
    }

    /** Where the value starting at {@code at} ends, or -1 when there is none. */
    private static int value(String s, int at, int end, int depth) {
        if (at >= end) {
            return -1;
        }
        char c = s.charAt(at);
        return switch (c) {
            case '{' -> object(s, at + 1, end, depth + 1);
            case '[' -> array(s, at + 1, end, depth + 1);
            case '"' -> string(s, at + 1, end);
            case 't' -> literal(s, at, "true");
            case 'f' -> literal(s, at, "false");
            case 'n' -> literal(s, at, "null");
            default -> c == '-' || isDigit(c) ? number(s, at, end) : -1;
        };
    }

    private static int object(String s, int at, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        at = skipWhitespace(s, at, end);
        if (at < end && s.charAt(at) == '}') {
            return at + 1;
        }
        while (true) {
            if (at >= end || s.charAt(at) != '"') {
                return -1;
            }
            at = skipWhitespace(s, string(s, at + 1, end), end);
            if (at < 0 || at >= end || s.charAt(at) != ':') {
                return -1;
            }
            at = value(s, skipWhitespace(s, at + 1, end), end, depth);
            if (at < 0) {
                return -1;
            }
            at = skipWhitespace(s, at, end);
            if (at >= end) {
                return -1;
            }
            char c = s.charAt(at);
            if (c == '}') {
                return at + 1;
            }
            if (c != ',') {
                return -1;
            }
            at = skipWhitespace(s, at + 1, end);
        }
    }

    private static int array(String s, int at, int end, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        at = skipWhitespace(s, at, end);
        if (at < end && s.charAt(at) == ']') {
            return at + 1;
        }
        while (true) {
            at = value(s, at, end, depth);
            if (at < 0) {
                return -1;
            }
            at = skipWhitespace(s, at, end);
            if (at >= end) {
                return -1;
            }
            char c = s.charAt(at);
            if (c == ']') {
                return at + 1;
            }
            if (c != ',') {
                return -1;
            }
            at = skipWhitespace(s, at + 1, end);
        }
    }

    /** {@code at} is just after the opening quote. */
    private static int string(String s, int at, int end) {
        while (at < end) {
            char c = s.charAt(at++);
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
                char escaped = s.charAt(at++);
                switch (escaped) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (at + 4 > end) {
                            return -1;
                        }
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(s.charAt(at + i), 16) < 0) {
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
        return -1;
    }

    private static int number(String s, int at, int end) {
        if (s.charAt(at) == '-') {
            at++;
        }
        if (at >= end) {
            return -1;
        }
        char first = s.charAt(at);
        if (first == '0') {
            at++;
        } else if (isDigit(first)) {
            at = digits(s, at, end);
        } else {
            return -1;
        }
        if (at < end && s.charAt(at) == '.') {
            int after = digits(s, at + 1, end);
            if (after == at + 1) {
                return -1;
            }
            at = after;
        }
        if (at < end && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
            at++;
            if (at < end && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                at++;
            }
            int after = digits(s, at, end);
            if (after == at) {
                return -1;
            }
            at = after;
        }
        return at;
    }

    private static int digits(String s, int at, int end) {
        while (at < end && isDigit(s.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int literal(String s, int at, String word) {
        return s.startsWith(word, at) ? at + word.length() : -1;
    }

    private static int skipWhitespace(String s, int at, int end) {
        if (at < 0) {
            return at;
        }
        while (at < end) {
            char c = s.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            at++;
        }
        return at;
    }
}
