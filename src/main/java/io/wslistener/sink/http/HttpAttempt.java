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
 * @param retryAfterMillis the server's Retry-After in milliseconds, or -1 when it sent none
 * @param retryable        connection errors, 5xx and 429 are worth another try; other 4xx (and 3xx) are not
 * @param cause            why it failed, or null when delivered
 */
record HttpAttempt(boolean delivered, Integer status, long retryAfterMillis, boolean retryable, Exception cause) {

    static final HttpAttempt DELIVERED = new HttpAttempt(true, null, -1, false, null);

    /** Classifies the exception the camel-http producer left on the exchange. */
    static HttpAttempt failed(Exception exception, Clock clock) {
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, exception);
        if (http != null) {
            int status = http.getStatusCode();
            boolean retryable = status >= 500 || status == 429;
            long retryAfter = retryable ? retryAfterMillis(header(http.getResponseHeaders(), "Retry-After"), clock) : -1;
            return new HttpAttempt(false, status, retryAfter, retryable, http);
        }
        boolean connectionProblem = ObjectHelper.getException(IOException.class, exception) != null;
        return new HttpAttempt(false, null, -1, connectionProblem, exception);
    }

    /** Retry-After as delay-seconds or as an HTTP date; -1 when absent or not understood. */
    static long retryAfterMillis(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String text = value.trim();
        try {
            return Math.max(0, Long.parseLong(text)) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
            } catch (DateTimeParseException notDate) {
                return -1;
            }
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
