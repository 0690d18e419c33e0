package io.wslistener.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import io.wslistener.support.Durations;

/**
 * The checks of {@link ConnectionSettings#validate}: each value alone, and the values that must fit together. Messages
 * name the route and the option and say what is allowed, but never show a message's or header's content, which may
 * carry a credential.
 */
final class SettingChecks {

    /** Open messages sent after every connect: a policy that would flood the server after each reconnect fails. */
    static final int MAX_OPEN_MESSAGES = 64;

    /**
     * The shortest {@code maxConnectionAge} other than 0: an age is meant in hours (a server's own cut), and one of
     * milliseconds (a unit mistaken, {@code 1} read as 1 ms) would close every connection as soon as it opened.
     */
    static final Duration MIN_CONNECTION_AGE = Duration.ofSeconds(1);

    private SettingChecks() {
    }

    static void check(ConnectionSettings s, String routeId) {
        positive(routeId, "connectTimeout", s.getConnectTimeout());
        checkBackoff(s, routeId);
        checkKeepAlive(s, routeId);
        checkMessages(s, routeId);
        checkConnection(s, routeId);
    }

    private static void checkBackoff(ConnectionSettings s, String routeId) {
        positive(routeId, "initialDelay", s.getInitialDelay());
        if (!(s.getMultiplier() >= 1.0)) {
            throw new InvalidSettingException(routeId, "multiplier", s.getMultiplier(), "a number of 1.0 or more");
        }
        positive(routeId, "maxDelay", s.getMaxDelay());
        if (s.getMaxDelay().compareTo(s.getInitialDelay()) < 0) {
            throw new InvalidSettingException(routeId, "maxDelay", shown(s.getMaxDelay()),
                    "a duration no shorter than initialDelay (" + shown(s.getInitialDelay()) + ")");
        }
        if (!(s.getJitter() >= 0.0 && s.getJitter() < 1.0)) {
            throw new InvalidSettingException(routeId, "jitter", s.getJitter(),
                    "a fraction from 0.0 up to (not including) 1.0");
        }
        if (s.getMaxAttempts() < 0) {
            throw new InvalidSettingException(routeId, "maxAttempts", s.getMaxAttempts(),
                    "0 (unlimited) or a positive count");
        }
        notNegative(routeId, "stableUptime", s.getStableUptime());
        // a code in several lists is not refused: stopOnCloseCodes, then backoffCloseCodes, then redeployCloseCodes win
        closeCodes(routeId, "stopOnCloseCodes", s.getStopOnCloseCodes());
        closeCodes(routeId, "redeployCloseCodes", s.getRedeployCloseCodes());
        closeCodes(routeId, "backoffCloseCodes", s.getBackoffCloseCodes());
        httpStatuses(routeId, "stopOnHandshakeStatuses", s.getStopOnHandshakeStatuses());
        httpStatuses(routeId, "retryAfterStatuses", s.getRetryAfterStatuses());
        if (s.getHandshakeRejectionsBeforeStop() < 1) {
            throw new InvalidSettingException(routeId, "handshakeRejectionsBeforeStop",
                    s.getHandshakeRejectionsBeforeStop(), "a count of 1 or more");
        }
    }

    private static void checkKeepAlive(ConnectionSettings s, String routeId) {
        notNegative(routeId, "pingInterval", s.getPingInterval());
        positive(routeId, "pongTimeout", s.getPongTimeout());
        if (s.getPingMessage() != null && s.getPingInterval().isZero()) {
            throw new InvalidSettingException(routeId, "pingMessage", "(set, not shown)",
                    "unset, because pingInterval is 0 (pings disabled)");
        }
        notNegative(routeId, "idleTimeout", s.getIdleTimeout());
        if (s.getPongMessage() != null && s.getPingMessage() == null) {
            throw new InvalidSettingException(routeId, "pongMessage",
                    "is set but pingMessage is not; the reply needs a heartbeat to answer");
        }
        replyPattern(routeId, "pongMessage", s.getPongMessage());
    }

    private static void checkMessages(ConnectionSettings s, String routeId) {
        if (s.getMaxInFlight() < 1) {
            throw new InvalidSettingException(routeId, "maxInFlight", s.getMaxInFlight(), "a count of 1 or more");
        }
        if (s.getMaxMessageSize() < 1) {
            throw new InvalidSettingException(routeId, "maxMessageSize", s.getMaxMessageSize(),
                    "a size in bytes of 1 or more");
        }
        notNegative(routeId, "drainTimeout", s.getDrainTimeout());
        if (s.getMaxInFlightBytes() < s.getMaxMessageSize()) {
            throw new InvalidSettingException(routeId, "maxInFlightBytes", s.getMaxInFlightBytes(),
                    "a size in bytes no smaller than maxMessageSize (" + s.getMaxMessageSize()
                            + "), so that one message fits");
        }
        notNegative(routeId, "stalledTimeout", s.getStalledTimeout());
        if (s.getMaxBatchSize() < 1 || s.getMaxBatchSize() > s.getMaxInFlight()) {
            // a batch in the making no longer counts against maxInFlight: a larger one would get round the bound
            throw new InvalidSettingException(routeId, "maxBatchSize", s.getMaxBatchSize(),
                    "a count from 1 up to maxInFlight (" + s.getMaxInFlight() + ")");
        }
    }

    /** What is sent on connect and what is expected back. */
    private static void checkConnection(ConnectionSettings s, String routeId) {
        if (!"any".equals(s.getSubscribeAck())) {
            replyPattern(routeId, "subscribeAck", s.getSubscribeAck());
        }
        positive(routeId, "subscribeAckTimeout", s.getSubscribeAckTimeout());
        Duration age = s.getMaxConnectionAge();
        if (age == null || age.isNegative() || (!age.isZero() && age.compareTo(MIN_CONNECTION_AGE) < 0)) {
            throw new InvalidSettingException(routeId, "maxConnectionAge", shown(age),
                    "0 (off) or a duration of at least " + shown(MIN_CONNECTION_AGE) + ", such as 23h");
        }
        List<String> messages = s.openMessageList();
        if (messages.size() > MAX_OPEN_MESSAGES) {
            throw new InvalidSettingException(routeId, "openMessages", messages.size() + " messages",
                    "at most " + MAX_OPEN_MESSAGES + " messages");
        }
        int maxMessageSize = s.getMaxMessageSize();
        for (int i = 0; i < messages.size(); i++) {
            int bytes = messages.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxMessageSize) {
                throw new InvalidSettingException(routeId, "openMessages",
                        "message " + (i + 1) + " of " + bytes + " bytes",
                        "messages of at most maxMessageSize (" + maxMessageSize + " bytes)");
            }
        }
        String pingMessage = s.getPingMessage();
        if (pingMessage != null && pingMessage.getBytes(StandardCharsets.UTF_8).length > maxMessageSize) {
            throw new InvalidSettingException(routeId, "pingMessage", "a message larger than maxMessageSize",
                    "a message of at most maxMessageSize (" + maxMessageSize + " bytes)");
        }
        if (s.getHandshakeHeaders() != null) {
            HandshakeHeaders.checkAtStart(routeId, s.getHandshakeHeaders());
        }
    }

    /** A comma-separated list of numbers; empty when unset or blank. */
    static Set<Integer> codes(String routeId, String option, String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        try {
            return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::valueOf)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(routeId, option, list, "a comma-separated list of numbers, such as "
                    + (option.endsWith("CloseCodes") ? "1008,4001" : "401,403"));
        }
    }

    private static void closeCodes(String routeId, String option, String list) {
        for (Integer code : codes(routeId, option, list)) {
            if (code < 1000 || code > 4999) {
                throw new InvalidSettingException(routeId, option, code, "WebSocket close codes from 1000 to 4999");
            }
        }
    }

    private static void httpStatuses(String routeId, String option, String list) {
        for (Integer status : codes(routeId, option, list)) {
            if (status < 300 || status > 599) {
                throw new InvalidSettingException(routeId, option, status, "HTTP statuses from 300 to 599");
            }
        }
    }

    /** Exact text, or regex: and a Java regular expression; errors never show the value. */
    private static void replyPattern(String routeId, String option, String setting) {
        if (setting == null) {
            return;
        }
        if (setting.isEmpty() || setting.equals("regex:")) {
            throw new InvalidSettingException(routeId, option,
                    "is empty; allowed: the exact text of the reply, or regex:<Java regular expression>");
        }
        if (setting.startsWith("regex:")) {
            try {
                Pattern.compile(setting.substring("regex:".length()));
            } catch (PatternSyntaxException e) {
                throw new InvalidSettingException(routeId, option, "is not a valid regular expression after regex: ("
                        + e.getDescription() + " at index " + e.getIndex() + ")");
            }
        }
    }

    private static void positive(String routeId, String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(routeId, option, shown(value),
                    "a duration greater than 0, such as 500ms, 30s or 5m");
        }
    }

    private static void notNegative(String routeId, String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidSettingException(routeId, option, shown(value),
                    "a duration of 0 or more, such as 0, 500ms, 30s or 5m");
        }
    }

    /** A duration the way it is written in a route ({@code 500ms}), not as ISO-8601 ({@code PT0.5S}). */
    private static String shown(Duration value) {
        return value == null ? "(unset)" : Durations.format(value);
    }
}
