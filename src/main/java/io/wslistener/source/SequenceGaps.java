package io.wslistener.source;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks the sequence number that a JSON feed puts in every message (option {@code sequenceField}): a number that is
 * not the previous one plus 1 is a gap, reported on that message. The feed's last number is kept across reconnects, so
 * a server that resumes where it left off shows no gap, and one that starts again (or skipped) does.
 * <p>
 * Called in arrival order from the delivery side (one message at a time); the counts are read by meters on any thread.
 * Only the top level of the message is read, with a small scanner instead of a JSON parser: the field is all it needs.
 */
final class SequenceGaps {

    static final long NO_SEQUENCE = Long.MIN_VALUE;

    private final String quotedField;
    private final AtomicLong gaps = new AtomicLong();
    private long last = NO_SEQUENCE;

    SequenceGaps(String field) {
        this.quotedField = "\"" + field + "\"";
    }

    /**
     * @return 0 when the message continues the sequence (or has none, or is the first), else its number minus the
     *         expected one: positive for numbers skipped, negative for a step back
     */
    synchronized long check(String json) {
        long sequence = topLevelNumber(json, quotedField);
        if (sequence == NO_SEQUENCE) {
            return 0;
        }
        long previous = last;
        last = sequence;
        if (previous == NO_SEQUENCE || sequence == previous + 1) {
            return 0;
        }
        gaps.incrementAndGet();
        return sequence - (previous + 1);
    }

    /** Gaps seen since the route started. */
    long gaps() {
        return gaps.get();
    }

    /** The integer value of a top-level field, or {@link #NO_SEQUENCE} when there is none (or it is no integer). */
    static long topLevelNumber(String json, String quotedField) {
        int depth = 0;
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = endOfString(json, i);
                if (end < 0) {
                    return NO_SEQUENCE;
                }
                if (depth == 1 && json.startsWith(quotedField, i) && end == i + quotedField.length() - 1) {
                    int at = skipSpaces(json, end + 1);
                    if (at < n && json.charAt(at) == ':') {
                        return integerAt(json, skipSpaces(json, at + 1));
                    }
                }
                i = end;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return NO_SEQUENCE;
    }

    private static int endOfString(String json, int start) {
        for (int i = start + 1; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpaces(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
        return at;
    }

    private static long integerAt(String json, int at) {
        int end = at;
        if (end < json.length() && json.charAt(end) == '-') {
            end++;
        }
        int digits = end;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        if (end == digits || end - digits > 18) {
            return NO_SEQUENCE;
        }
        // a number with a fraction or exponent is no sequence number
        if (end < json.length() && (json.charAt(end) == '.' || json.charAt(end) == 'e' || json.charAt(end) == 'E')) {
            return NO_SEQUENCE;
        }
        return Long.parseLong(json, at, end, 10);
    }
}
