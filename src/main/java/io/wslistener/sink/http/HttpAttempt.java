package io.wslistener.sink.http;

import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

/**
 * The outcome of one POST: delivered, or failed with what the retry loop needs to decide.
 *
 * @param delivered        the server answered 2xx
 * @param status           the HTTP status, or null when there was no response (connection refused, timeout, ...)
 * @param retryAfterMillis the server's Retry-After in milliseconds (0 for a date in the past, saturated at
 *                         Long.MAX_VALUE), or -1 when it sent none or one that could not be read
 * @param retryAfterText   the Retry-After as the server sent it (for the log), or null
 * @param retryable        connection errors, 5xx and 429 are worth another try; other 4xx (and 3xx) are not
 * @param cause            why it failed, or null when delivered
 */
record HttpAttempt(boolean delivered, Integer status, long retryAfterMillis, String retryAfterText, boolean retryable,
                   Exception cause) {

    static final HttpAttempt DELIVERED = new HttpAttempt(true, null, -1, null, false, null);

    /** A failure without a response from the server. */
    static HttpAttempt noResponse(Exception cause, boolean retryable) {
        return new HttpAttempt(false, null, -1, null, retryable, cause);
    }

    /** Classifies the exception the camel-http producer left on the exchange. */
    static HttpAttempt failed(Exception exception, Clock clock) {
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, exception);
        if (http != null) {
            int status = http.getStatusCode();
            boolean retryable = status >= 500 || status == 429;
            String retryAfterText = retryable ? header(http.getResponseHeaders(), "Retry-After") : null;
            long retryAfter = retryAfterMillis(retryAfterText, clock);
            return new HttpAttempt(false, status, retryAfter, retryAfter < 0 ? null : retryAfterText.trim(), retryable,
                    http);
        }
        boolean connectionProblem = ObjectHelper.getException(IOException.class, exception) != null;
        return noResponse(exception, connectionProblem);
    }

    /** Retry-After as delay-seconds or as an HTTP date; -1 when absent or not understood. */
    static long retryAfterMillis(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            // delay-seconds; more digits than a long holds is as good as for ever (maxDelay caps it anyway)
            try {
                return Math.multiplyExact(Long.parseLong(text), 1000L);
            } catch (NumberFormatException | ArithmeticException overflow) {
                return Long.MAX_VALUE;
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
        } catch (DateTimeParseException | ArithmeticException notDate) {
            return -1;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        // camel-http keeps the server's spelling of header names
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (name.equalsIgnoreCase(header.getKey())) {
                return header.getValue();
            }
        }
        return null;
    }
}
