package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The components of {@link ConnectionSettings}, mutable for tests, starting from the built-in defaults.
 */
public final class TestSettings {

    public Duration connectTimeout = Duration.ofSeconds(10);
    public Duration initialDelay = Duration.ofSeconds(1);
    public double multiplier = 2.0;
    public Duration maxDelay = Duration.ofSeconds(30);
    public double jitter = 0.2;
    public int maxAttempts = 0;
    public Duration stableUptime = Duration.ofSeconds(10);
    public Duration pingInterval = Duration.ofSeconds(10);
    public Duration pongTimeout = Duration.ofSeconds(5);
    public String pingMessage = null;
    public Duration idleTimeout = Duration.ZERO;
    public List<String> openMessages = List.of();
    public Map<String, String> handshakeHeaders = Map.of();
    public Set<Integer> stopOnCloseCodes = Set.of(1008);
    public Set<Integer> stopOnHandshakeStatuses = Set.of(401, 403);
    public int handshakeRejectionsBeforeStop = 3;
    public int maxInFlight = 1000;
    public int maxMessageSize = 1 << 20;
    public Duration drainTimeout = Duration.ofSeconds(30);
    public long maxInFlightBytes = 32L << 20;
    public Duration stalledTimeout = Duration.ofSeconds(60);

    public static ConnectionSettings with(Consumer<TestSettings> change) {
        TestSettings values = new TestSettings();
        change.accept(values);
        return values.build();
    }

    public ConnectionSettings build() {
        return new ConnectionSettings(connectTimeout, initialDelay, multiplier, maxDelay, jitter, maxAttempts,
                stableUptime, pingInterval, pongTimeout, pingMessage, idleTimeout, openMessages, handshakeHeaders,
                stopOnCloseCodes, stopOnHandshakeStatuses, handshakeRejectionsBeforeStop, maxInFlight, maxMessageSize,
                drainTimeout, maxInFlightBytes, stalledTimeout);
    }
}
