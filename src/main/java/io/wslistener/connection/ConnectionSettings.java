package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one route's connection loop, immutable and validated once when the route starts.
 *
 * @param connectTimeout          one attempt, TCP + TLS + WebSocket handshake
 * @param initialDelay            delay before the first retry
 * @param multiplier              growth of the delay per failed attempt
 * @param maxDelay                cap of the delay
 * @param jitter                  fraction in [0, 1) by which a delay may be shortened at random
 * @param maxAttempts             failed attempts in a row before giving up; 0 is unlimited
 * @param stableUptime            a connection must have lived this long for the backoff to start again from the first delay
 * @param pingInterval            WebSocket ping period; zero disables pings
 * @param pongTimeout             a pong (or any frame) must arrive this soon after a ping
 * @param pingMessage             optional application-level text sent with every ping, for servers that want one
 * @param idleTimeout             no data message for this long closes and reconnects; zero disables it
 * @param openMessages            text messages sent, in order, after every successful connect
 * @param handshakeHeaders        handshake headers; their values are resolved again on every connect
 * @param stopOnCloseCodes        close codes from the server that stop the route instead of reconnecting
 * @param stopOnHandshakeStatuses HTTP statuses of a refused handshake that stop the route after
 *                                {@code handshakeRejectionsBeforeStop} attempts in a row
 * @param maxInFlight             messages received but not yet processed before reading is paused
 * @param maxMessageSize          largest message (and frame) accepted; a larger one closes the connection with 1009
 * @param drainTimeout            how long a graceful stop waits for in-flight messages
 * @param maxInFlightBytes        bytes of messages received but not yet processed before reading is paused (text
 *                                counts its characters)
 * @param stalledTimeout          reading paused without a break for this long reports the feed as stalled (health
 *                                DOWN); zero disables it
 */
public record ConnectionSettings(
        Duration connectTimeout,
        Duration initialDelay,
        double multiplier,
        Duration maxDelay,
        double jitter,
        int maxAttempts,
        Duration stableUptime,
        Duration pingInterval,
        Duration pongTimeout,
        String pingMessage,
        Duration idleTimeout,
        List<String> openMessages,
        Map<String, String> handshakeHeaders,
        Set<Integer> stopOnCloseCodes,
        Set<Integer> stopOnHandshakeStatuses,
        int handshakeRejectionsBeforeStop,
        int maxInFlight,
        int maxMessageSize,
        Duration drainTimeout,
        long maxInFlightBytes,
        Duration stalledTimeout) {

    public ConnectionSettings {
        openMessages = List.copyOf(openMessages);
        handshakeHeaders = Map.copyOf(handshakeHeaders);
        stopOnCloseCodes = Set.copyOf(stopOnCloseCodes);
        stopOnHandshakeStatuses = Set.copyOf(stopOnHandshakeStatuses);
    }

    public Backoff backoff() {
        return new Backoff(initialDelay, multiplier, maxDelay, jitter);
    }

    /**
     * Checks every value once, so that a bad one stops the route at start-up instead of surfacing mid-flight.
     *
     * @throws InvalidSettingException naming the route, the option and what is allowed
     */
    public ConnectionSettings validate(String routeId) {
        positive(routeId, "connectTimeout", connectTimeout);
        positive(routeId, "initialDelay", initialDelay);
        if (!(multiplier >= 1.0)) {
            throw new InvalidSettingException(routeId, "multiplier", multiplier, "a number of 1.0 or more");
        }
        positive(routeId, "maxDelay", maxDelay);
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidSettingException(routeId, "maxDelay", shown(maxDelay),
                    "a duration no shorter than initialDelay (" + shown(initialDelay) + ")");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new InvalidSettingException(routeId, "jitter", jitter, "a fraction from 0.0 up to (not including) 1.0");
        }
        if (maxAttempts < 0) {
            throw new InvalidSettingException(routeId, "maxAttempts", maxAttempts, "0 (unlimited) or a positive count");
        }
        notNegative(routeId, "stableUptime", stableUptime);
        notNegative(routeId, "pingInterval", pingInterval);
        positive(routeId, "pongTimeout", pongTimeout);
        if (pingMessage != null && pingInterval.isZero()) {
            // never the message itself: it may carry a credential
            throw new InvalidSettingException(routeId, "pingMessage", "(set, not shown)",
                    "unset, because pingInterval is 0 (pings disabled)");
        }
        notNegative(routeId, "idleTimeout", idleTimeout);
        for (Integer code : stopOnCloseCodes) {
            if (code < 1000 || code > 4999) {
                throw new InvalidSettingException(routeId, "stopOnCloseCodes", code, "WebSocket close codes from 1000 to 4999");
            }
        }
        for (Integer status : stopOnHandshakeStatuses) {
            if (status < 300 || status > 599) {
                throw new InvalidSettingException(routeId, "stopOnHandshakeStatuses", status, "HTTP statuses from 300 to 599");
            }
        }
        if (handshakeRejectionsBeforeStop < 1) {
            throw new InvalidSettingException(routeId, "handshakeRejectionsBeforeStop", handshakeRejectionsBeforeStop,
                    "a count of 1 or more");
        }
        if (maxInFlight < 1) {
            throw new InvalidSettingException(routeId, "maxInFlight", maxInFlight, "a count of 1 or more");
        }
        if (maxMessageSize < 1) {
            throw new InvalidSettingException(routeId, "maxMessageSize", maxMessageSize, "a size in bytes of 1 or more");
        }
        notNegative(routeId, "drainTimeout", drainTimeout);
        if (maxInFlightBytes < maxMessageSize) {
            throw new InvalidSettingException(routeId, "maxInFlightBytes", maxInFlightBytes,
                    "a size in bytes no smaller than maxMessageSize (" + maxMessageSize + "), so that one message fits");
        }
        notNegative(routeId, "stalledTimeout", stalledTimeout);
        return this;
    }

    private static void positive(String routeId, String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(routeId, option, shown(value), "a duration greater than 0, such as 500ms, 30s or 5m");
        }
    }

    private static void notNegative(String routeId, String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidSettingException(routeId, option, shown(value), "a duration of 0 or more, such as 0, 500ms, 30s or 5m");
        }
    }

    /** A duration the way it is written in a route ({@code 500ms}), not as ISO-8601 ({@code PT0.5S}). */
    private static String shown(Duration value) {
        return value == null ? "(unset)" : notation(value);
    }

    /** A duration the way a setting is written: {@code 5s}, {@code 500ms}. */
    static String notation(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
