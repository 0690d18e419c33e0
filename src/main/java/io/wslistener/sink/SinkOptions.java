package io.wslistener.sink;

import java.time.Duration;
import java.util.Locale;

import io.wslistener.support.Durations;

/**
 * Reads the sinks' option values strictly, with errors that name the sink and the option: the same duration syntax as
 * the route policy ({@link Durations}), sizes such as {@code 512KB}, file permissions.
 */
public final class SinkOptions {

    private SinkOptions() {
    }

    /** Fails start-up with {@code message} (which names the sink and the option) unless {@code condition} holds. */
    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * @param sink     the sink as users know it ({@code sink-http:orders}), for the error
     * @param positive true when 0 is refused (a 0 timeout would mean no timeout at all)
     */
    public static Duration duration(String sink, String option, String text, boolean positive) {
        Duration value;
        try {
            value = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(sink + ": " + option + " must be " + Durations.ALLOWED + "; was '" + text
                    + "'", e);
        }
        if (positive && value.isZero()) {
            throw new IllegalArgumentException(sink + ": " + option + " must be more than 0 (such as 1s); was '" + text
                    + "'");
        }
        return value;
    }

    /** A size in bytes, or with KB, MB, GB. */
    public static long size(String sink, String option, String size) {
        String text = size == null ? "" : size.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (text.endsWith("KB")) {
            unit = 1024;
        } else if (text.endsWith("MB")) {
            unit = 1024 * 1024;
        } else if (text.endsWith("GB")) {
            unit = 1024L * 1024 * 1024;
        }
        String number = unit == 1 ? text : text.substring(0, text.length() - 2).trim();
        try {
            long value = Math.multiplyExact(Long.parseLong(number), unit);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    sink + ": " + option + " must be a size such as 0, 1048576, 512KB, 100MB or"
                            + " 1GB; was '" + size + "'",
                    e);
        }
    }

    public static FilePermissions permissions(String sink, String option, String text) {
        return FilePermissions.parse(sink + ": " + option, text);
    }
}
