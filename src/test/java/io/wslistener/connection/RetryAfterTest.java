package io.wslistener.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

    private static final long NOW = Instant.parse("2026-12-01T20:00:00Z").toEpochMilli();
    private static final Set<Integer> STATUSES = Set.of(429, 503);

    @Test
    void secondsOrAnHttpDate() {
        assertEquals(120_000, RetryAfter.parse("120", NOW));
        assertEquals(90_000, RetryAfter.parse("Tue, 01 Dec 2026 20:01:30 GMT", NOW));
        assertEquals(0, RetryAfter.parse("Tue, 01 Dec 2026 19:00:00 GMT", NOW), "a date in the past: at once");
        assertEquals(-1, RetryAfter.parse("soon", NOW));
        assertEquals(-1, RetryAfter.parse(null, NOW));
        assertEquals(Long.MAX_VALUE, RetryAfter.parse("99999999999999999999", NOW));
    }

    @Test
    void onlyForTheConfiguredStatusesAndCappedByMaxDelay() {
        assertEquals(30_000, RetryAfter.millis(rejected(503, "3600"), STATUSES, Duration.ofSeconds(30), NOW));
        assertEquals(5_000, RetryAfter.millis(rejected(429, "5"), STATUSES, Duration.ofSeconds(30), NOW));
        assertEquals(-1, RetryAfter.millis(rejected(500, "5"), STATUSES, Duration.ofSeconds(30), NOW));
        assertEquals(-1, RetryAfter.millis(rejected(503, null), STATUSES, Duration.ofSeconds(30), NOW));
        assertEquals(-1, RetryAfter.millis(new java.net.ConnectException(), STATUSES, Duration.ofSeconds(30), NOW));
    }

    private static UpgradeRejectedException rejected(int status, String retryAfter) {
        HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
        if (retryAfter != null) {
            headers.add("Retry-After", retryAfter);
        }
        return new UpgradeRejectedException("refused", status, headers, null);
    }
}
