package io.wslistener.metrics;

import java.util.Set;

/**
 * The close-code tag of the disconnect meter, with a bounded number of values whatever the server sends: a server can
 * close with any code from 1000 to 4999 (and a broken one with anything), and a series per code would let it grow the
 * registry without end. The codes of RFC 6455 and its registry (1000-1015), and those the route names in
 * {@code stopOnCloseCodes}, keep their own series; the rest of 3000-3999 (registered for libraries and frameworks)
 * and of 4000-4999 (private use) share one series per range, and anything else shares one more.
 */
final class CloseCodeTag {

    static final String LIBRARY_RANGE = "3xxx";
    static final String PRIVATE_RANGE = "4xxx";
    static final String OTHER = "other";

    private CloseCodeTag() {
    }

    static String of(int code, Set<Integer> ownSeries) {
        if (code < 0) {
            return MeterNames.NO_CLOSE_CODE;
        }
        if (code >= 1000 && code <= 1015 || ownSeries.contains(code)) {
            return Integer.toString(code);
        }
        if (code >= 3000 && code <= 3999) {
            return LIBRARY_RANGE;
        }
        return code >= 4000 && code <= 4999 ? PRIVATE_RANGE : OTHER;
    }
}
