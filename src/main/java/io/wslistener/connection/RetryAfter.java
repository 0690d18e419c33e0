package io.wslistener.connection;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

import io.vertx.core.http.UpgradeRejectedException;

/**
 * The wait a server asks for with {@code Retry-After} (RFC 9110 section 10.2.3) when it refuses the handshake: a number of
 * seconds or an HTTP date. Pure: the caller passes the time.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * @param error    why the attempt failed
     * @param statuses the handshake statuses whose Retry-After is honoured
     * @param max      the longest wait honoured (maxDelay)
     * @return the wait in milliseconds, at most {@code max}, or -1 when the server asked for none (or it is unreadable)
     */
    static long millis(Throwable error, Set<Integer> statuses, Duration max, long nowEpochMillis) {
        if (!(error instanceof UpgradeRejectedException rejected) || !statuses.contains(rejected.getStatus())
                || rejected.getHeaders() == null) {
            return -1;
        }
        long wait = parse(rejected.getHeaders().get("Retry-After"), nowEpochMillis);
        return wait < 0 ? -1 : Math.min(wait, max.toMillis());
    }

    /** @return milliseconds from now, 0 for a date in the past, -1 when absent or unreadable */
    static long parse(String value, long nowEpochMillis) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Math.multiplyExact(Long.parseLong(text), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                return Long.MAX_VALUE; // more seconds than a long holds: the cap applies
            }
        }
        try {
            long at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowEpochMillis);
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
