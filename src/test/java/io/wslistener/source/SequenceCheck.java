package io.wslistener.source;

import java.util.List;

/**
 * Checks that numbers arrived as 1, 2, 3, ... n, and says briefly where they did not (a list of 100,000 numbers makes
 * an unreadable assertion message).
 */
final class SequenceCheck {

    private SequenceCheck() {
    }

    /** Empty when {@code received} is exactly 1..total, otherwise what went wrong first. */
    static String problems(List<Long> received, long total) {
        long expected = 1;
        for (int i = 0; i < received.size(); i++, expected++) {
            long value = received.get(i);
            if (value != expected) {
                return "at position " + i + " expected " + expected + " but got " + value + " (" + received.size()
                        + " received, " + total + " sent)";
            }
        }
        return received.size() == total ? "" : "only " + received.size() + " of " + total + " received, all in order";
    }
}
