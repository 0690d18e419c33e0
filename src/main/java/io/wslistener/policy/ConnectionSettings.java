package io.wslistener.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.wslistener.support.Durations;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Every connection setting of a ws-listener route, in one place: each option is a field with its {@link UriParam}
 * (default, description, group), the way Camel's own {@code VertxWebsocketConfiguration} is written. From these fields
 * come the defaults, the {@code wslistener.<option>} application properties, the binding of the route policy's YAML
 * properties, the option table of docs/connection-policy.md (a test compares them) and the checks of
 * {@link #validate}.
 * <p>
 * An option left {@code null} is unset: {@link SettingOptions#resolve} fills it from {@code wslistener.<option>}, then
 * from its {@code defaultValue}. The connection loop runs with such a resolved, validated copy, made at route start and
 * never changed after.
 * <p>
 * Adding a setting: a field here with its {@code @UriParam} and getter/setter, a check in {@link #validate} if it needs
 * one, its row in the docs table, and a test.
 */
@UriParams
public class ConnectionSettings {

    /** Open messages sent after every connect: a policy that would flood the server after each reconnect fails. */
    static final int MAX_OPEN_MESSAGES = 64;

    @UriParam(label = "reconnect", defaultValue = "10s", javaType = "java.time.Duration",
              description = "One attempt: TCP connect, TLS and the WebSocket handshake. An attempt that takes longer is abandoned and its connection closed.")
    private Duration connectTimeout;

    @UriParam(label = "reconnect", defaultValue = "1s", javaType = "java.time.Duration",
              description = "Delay before the first retry.")
    private Duration initialDelay;

    @UriParam(label = "reconnect", defaultValue = "2.0",
              description = "Growth of the delay per failed attempt in a row (1.0 or more; 1.0 keeps it constant).")
    private Double multiplier;

    @UriParam(label = "reconnect", defaultValue = "30s", javaType = "java.time.Duration",
              description = "Cap of the delay (no shorter than initialDelay).")
    private Duration maxDelay;

    @UriParam(label = "reconnect", defaultValue = "0.2",
              description = "Fraction (0 up to, not including, 1) by which each delay is shortened at random, so that many clients do not reconnect in step. A delay lies in [nominal × (1 − jitter), nominal].")
    private Double jitter;

    @UriParam(label = "reconnect", defaultValue = "0",
              description = "Failed attempts in a row before giving up and stopping the route; 0 retries for ever.")
    private Integer maxAttempts;

    @UriParam(label = "reconnect", defaultValue = "10s", javaType = "java.time.Duration",
              description = "A connection must have lived this long for the backoff to start again from initialDelay. A server that accepts and drops at once keeps the delays growing.")
    private Duration stableUptime;

    @UriParam(label = "keepalive", defaultValue = "10s", javaType = "java.time.Duration",
              description = "WebSocket ping period; 0 disables pings (and the pong timeout).")
    private Duration pingInterval;

    @UriParam(label = "keepalive", defaultValue = "5s", javaType = "java.time.Duration",
              description = "A pong (or any other frame) must arrive this soon after a ping, counted from the later of the ping and the last frame received; otherwise the connection is taken for dead, closed and replaced.")
    private Duration pongTimeout;

    @UriParam(label = "keepalive",
              description = "Optional application-level text message sent with every ping, for servers that expect one (requires pingInterval > 0).")
    private String pingMessage;

    @UriParam(label = "keepalive", defaultValue = "0", javaType = "java.time.Duration",
              description = "No data message for this long closes the connection and reconnects, even while pongs arrive; 0 disables it.")
    private Duration idleTimeout;

    @UriParam(label = "handshake",
              description = "Text messages sent, in order, after every successful connect (subscribe, login); one message per line.")
    private String openMessages;

    @UriParam(label = "handshake", secret = true,
              description = "Headers of the WebSocket handshake. Values may use Camel's simple language (${bean:tokens?method=current}, ${env:API_KEY}) and are evaluated again on every connect. Policy bean only (no wslistener. property).")
    private Map<String, String> handshakeHeaders;

    @UriParam(label = "handshake",
              description = "A bean implementing io.wslistener.policy.HandshakeHeadersProvider (\"#bean:myTokens\"), asked for headers before every connect; its headers win over the policy's and the URI's. Policy bean only.")
    private HandshakeHeadersProvider headersProvider;

    @UriParam(label = "reconnect", defaultValue = "1008",
              description = "Close codes from the server that stop the route instead of reconnecting (comma-separated, 1000–4999).")
    private String stopOnCloseCodes;

    @UriParam(label = "reconnect", defaultValue = "401,403",
              description = "HTTP statuses of a refused handshake that stop the route after handshakeRejectionsBeforeStop of them in a row (300–599). Other statuses (503 during a deployment, say) are retried like any failure.")
    private String stopOnHandshakeStatuses;

    @UriParam(label = "reconnect", defaultValue = "3",
              description = "How many such refusals in a row stop the route (1 or more). Any other outcome in between starts the count again.")
    private Integer handshakeRejectionsBeforeStop;

    @UriParam(label = "delivery", defaultValue = "1000",
              description = "Messages received but not yet processed. At this many the loop stops reading from the socket (TCP pushes back on the server); it reads again when half have been processed.")
    private Integer maxInFlight;

    @UriParam(label = "delivery", defaultValue = "1048576",
              description = "Largest message (and frame) in bytes; a larger one closes the connection with 1009 and reconnects.")
    private Integer maxMessageSize;

    @UriParam(label = "delivery", defaultValue = "30s", javaType = "java.time.Duration",
              description = "How long stopping the route waits for received messages to be processed before it closes the socket.")
    private Duration drainTimeout;

    @UriParam(label = "delivery", defaultValue = "33554432",
              description = "Bytes of messages received but not yet processed (text counts its characters). At this many the loop stops reading from the socket, as with maxInFlight, so that large messages behind a slow route cannot exhaust the heap. No smaller than maxMessageSize.")
    private Long maxInFlightBytes;

    @UriParam(label = "delivery", defaultValue = "60s", javaType = "java.time.Duration",
              description = "The oldest message received and not yet processed having waited this long (a sink is stuck, or the route does not keep up), whatever the socket does, reports the feed as stalled: readiness DOWN. 0 disables it.")
    private Duration stalledTimeout;

    @UriParam(label = "delivery", defaultValue = "1",
              description = "Up to this many messages that were already waiting together go into the route as one exchange, its body a java.util.List of the messages in arrival order (header CamelWsListenerBatchSize); 1 (the default): one exchange per message. A batch never waits for more messages. Collected messages no longer count against maxInFlight, so it is at most maxInFlight: the feed then holds up to maxInFlight plus maxBatchSize messages.")
    private Integer maxBatchSize;

    // --- issue 15: heartbeat reply, subscribe acknowledgement, planned reconnect, close codes, URLs, gap signals, proxy

    @UriParam(label = "keepalive",
              description = "The server's reply to pingMessage: its exact text, or regex: followed by a Java regular expression found in the message (anchor it with ^ and $). A message that matches while a heartbeat waits for its reply counts as the pong and is not passed on to the route; any other message is data (requires pingMessage).")
    private String pongMessage;

    @UriParam(label = "handshake",
              description = "The reply expected after the open messages: any (any message), its exact text, or regex: followed by a Java regular expression found in the message. Without it within subscribeAckTimeout the connection is closed and counted as a failed attempt (cause no_subscribe_ack).")
    private String subscribeAck;

    @UriParam(label = "handshake", defaultValue = "10s", javaType = "java.time.Duration",
              description = "How long after the open messages the reply of subscribeAck may take.")
    private Duration subscribeAckTimeout;

    @UriParam(label = "reconnect", defaultValue = "0", javaType = "java.time.Duration",
              description = "A connection this old is closed with 1000 and replaced at once: a planned reconnect, not a failure; 0 disables it.")
    private Duration maxConnectionAge;

    @UriParam(label = "reconnect", defaultValue = "1001,1012",
              description = "Close codes that, after a connection that lived stableUptime, are no failure (a server redeploying): the next attempt is after initialDelay and the count of failures starts again.")
    private String redeployCloseCodes;

    @UriParam(label = "reconnect", defaultValue = "1013",
              description = "Close codes that back off as a failure does, however long the connection lived.")
    private String backoffCloseCodes;

    @UriParam(label = "reconnect", defaultValue = "429,503",
              description = "HTTP statuses of a refused handshake whose Retry-After header (seconds or an HTTP date) is honoured, capped by maxDelay.")
    private String retryAfterStatuses;

    @UriParam(label = "handshake",
              description = "The server URLs, one per line (or comma-separated before ws:// or wss://), tried in turn after a failed attempt or a connection that ended before stableUptime; each may use Camel's simple language, evaluated on every connect. Unset: the route's URI.")
    private String serverUrls;

    @UriParam(label = "handshake",
              description = "A bean implementing io.wslistener.policy.ServerUrlProvider (\"#bean:myUrls\"), asked for the URL before every connect attempt, on a worker thread of the route's own. Policy bean only.")
    private ServerUrlProvider urlProvider;

    @UriParam(label = "delivery", defaultValue = "false",
              description = "Whether an exchange with an empty body and header CamelWsListenerEvent (connected or disconnected) goes into the route on every connect and disconnect.")
    private Boolean lifecycleEvents;

    @UriParam(label = "delivery",
              description = "A top-level field of JSON text messages holding an integer sequence number; a message that does not follow the previous one gets the header CamelWsListenerGap and counts in wslistener.sequence.gaps.")
    private String sequenceField;

    @UriParam(label = "handshake", secret = true,
              description = "Proxy of the connection: http://[user:password@]host:port (HTTP CONNECT) or socks5://[user:password@]host:port. Unset: direct.")
    private String proxy;

    /** Every option at its documented default. */
    public static ConnectionSettings defaults() {
        return SettingOptions.withDefaults(new ConnectionSettings());
    }

    /**
     * Checks every value once, so that a bad one stops the route at start-up instead of surfacing mid-flight. Messages
     * name the option, never a message's or header's content, which may carry a credential.
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
            throw new InvalidSettingException(routeId, "jitter", jitter,
                    "a fraction from 0.0 up to (not including) 1.0");
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
        for (Integer code : codes(routeId, "stopOnCloseCodes", stopOnCloseCodes)) {
            if (code < 1000 || code > 4999) {
                throw new InvalidSettingException(routeId, "stopOnCloseCodes", code,
                        "WebSocket close codes from 1000 to 4999");
            }
        }
        for (Integer status : codes(routeId, "stopOnHandshakeStatuses", stopOnHandshakeStatuses)) {
            if (status < 300 || status > 599) {
                throw new InvalidSettingException(routeId, "stopOnHandshakeStatuses", status,
                        "HTTP statuses from 300 to 599");
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
            throw new InvalidSettingException(routeId, "maxMessageSize", maxMessageSize,
                    "a size in bytes of 1 or more");
        }
        notNegative(routeId, "drainTimeout", drainTimeout);
        if (maxInFlightBytes < maxMessageSize) {
            throw new InvalidSettingException(routeId, "maxInFlightBytes", maxInFlightBytes,
                    "a size in bytes no smaller than maxMessageSize (" + maxMessageSize
                            + "), so that one message fits");
        }
        notNegative(routeId, "stalledTimeout", stalledTimeout);
        if (maxBatchSize < 1 || maxBatchSize > maxInFlight) {
            // a batch in the making no longer counts against maxInFlight: a larger one would get round the bound
            throw new InvalidSettingException(routeId, "maxBatchSize", maxBatchSize,
                    "a count from 1 up to maxInFlight (" + maxInFlight + ")");
        }
        if (pongMessage != null && pingMessage == null) {
            throw new InvalidSettingException(routeId, "pongMessage",
                    "is set but pingMessage is not; the reply needs a heartbeat to answer");
        }
        replyPattern(routeId, "pongMessage", pongMessage);
        if (!"any".equals(subscribeAck)) {
            replyPattern(routeId, "subscribeAck", subscribeAck);
        }
        positive(routeId, "subscribeAckTimeout", subscribeAckTimeout);
        notNegative(routeId, "maxConnectionAge", maxConnectionAge);
        // a code in several lists is not refused: stopOnCloseCodes, then backoffCloseCodes, then redeployCloseCodes win
        for (String option : List.of("redeployCloseCodes", "backoffCloseCodes")) {
            for (Integer code : codes(routeId, option,
                    "redeployCloseCodes".equals(option) ? redeployCloseCodes : backoffCloseCodes)) {
                if (code < 1000 || code > 4999) {
                    throw new InvalidSettingException(routeId, option, code, "WebSocket close codes from 1000 to 4999");
                }
            }
        }
        for (Integer status : codes(routeId, "retryAfterStatuses", retryAfterStatuses)) {
            if (status < 300 || status > 599) {
                throw new InvalidSettingException(routeId, "retryAfterStatuses", status,
                        "HTTP statuses from 300 to 599");
            }
        }
        checkWhatIsSentOnConnect(routeId);
        return this;
    }

    private void checkWhatIsSentOnConnect(String routeId) {
        List<String> messages = openMessageList();
        if (messages.size() > MAX_OPEN_MESSAGES) {
            throw new InvalidSettingException(routeId, "openMessages", messages.size() + " messages",
                    "at most " + MAX_OPEN_MESSAGES + " messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            int bytes = messages.get(i).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxMessageSize) {
                throw new InvalidSettingException(routeId, "openMessages",
                        "message " + (i + 1) + " of " + bytes + " bytes",
                        "messages of at most maxMessageSize (" + maxMessageSize + " bytes)");
            }
        }
        if (pingMessage != null && pingMessage.getBytes(StandardCharsets.UTF_8).length > maxMessageSize) {
            throw new InvalidSettingException(routeId, "pingMessage", "a message larger than maxMessageSize",
                    "a message of at most maxMessageSize (" + maxMessageSize + " bytes)");
        }
        if (handshakeHeaders != null) {
            HandshakeHeaders.checkAtStart(routeId, handshakeHeaders);
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
                java.util.regex.Pattern.compile(setting.substring("regex:".length()));
            } catch (java.util.regex.PatternSyntaxException e) {
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

    private static Set<Integer> codes(String routeId, String option, String list) {
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

    // --- what the loop reads, derived from the options as written

    /** {@link #getOpenMessages()}, one message per non-blank line. */
    public List<String> openMessageList() {
        return openMessages == null ? List.of()
                : openMessages.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** {@link #getStopOnCloseCodes()} as numbers (valid once {@link #validate} passed). */
    public Set<Integer> stopOnCloseCodeSet() {
        return codes(null, "stopOnCloseCodes", stopOnCloseCodes);
    }

    /** {@link #getStopOnHandshakeStatuses()} as numbers (valid once {@link #validate} passed). */
    public Set<Integer> stopOnHandshakeStatusSet() {
        return codes(null, "stopOnHandshakeStatuses", stopOnHandshakeStatuses);
    }

    /** {@link #getRedeployCloseCodes()} as numbers (valid once {@link #validate} passed). */
    public Set<Integer> redeployCloseCodeSet() {
        return codes(null, "redeployCloseCodes", redeployCloseCodes);
    }

    /** {@link #getBackoffCloseCodes()} as numbers (valid once {@link #validate} passed). */
    public Set<Integer> backoffCloseCodeSet() {
        return codes(null, "backoffCloseCodes", backoffCloseCodes);
    }

    /** {@link #getRetryAfterStatuses()} as numbers (valid once {@link #validate} passed). */
    public Set<Integer> retryAfterStatusSet() {
        return codes(null, "retryAfterStatuses", retryAfterStatuses);
    }

    // --- options

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** One attempt: TCP connect, TLS and the WebSocket handshake. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    /** Delay before the first retry. */
    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public Double getMultiplier() {
        return multiplier;
    }

    /** Growth of the delay per failed attempt in a row. */
    public void setMultiplier(Double multiplier) {
        this.multiplier = multiplier;
    }

    public Duration getMaxDelay() {
        return maxDelay;
    }

    /** Cap of the delay. */
    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public Double getJitter() {
        return jitter;
    }

    /** Fraction by which each delay is shortened at random. */
    public void setJitter(Double jitter) {
        this.jitter = jitter;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    /** Failed attempts in a row before giving up; 0 is unlimited. */
    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getStableUptime() {
        return stableUptime;
    }

    /** Uptime after which the backoff starts again from the first delay. */
    public void setStableUptime(Duration stableUptime) {
        this.stableUptime = stableUptime;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    /** WebSocket ping period; zero disables pings. */
    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPongTimeout() {
        return pongTimeout;
    }

    /** A pong (or any frame) must arrive this soon after a ping. */
    public void setPongTimeout(Duration pongTimeout) {
        this.pongTimeout = pongTimeout;
    }

    public String getPingMessage() {
        return pingMessage;
    }

    /** Application-level text sent with every ping. */
    public void setPingMessage(String pingMessage) {
        this.pingMessage = pingMessage;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /** No data message for this long closes and reconnects; zero disables it. */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** The open messages, one per line. */
    public String getOpenMessages() {
        return openMessages;
    }

    /** Text messages sent after every connect, one per line (a YAML block scalar {@code |} keeps the lines). */
    public void setOpenMessages(String openMessages) {
        this.openMessages = openMessages;
    }

    /** Handshake headers, as given (placeholders and simple expressions are evaluated on every connect). */
    public Map<String, String> getHandshakeHeaders() {
        return handshakeHeaders;
    }

    /**
     * Kept as given, not copied: Camel's property binding creates the map, passes it here and then puts the first entry
     * into its own reference, so a copy would silently lose that header. The resolved settings take their own copy.
     */
    public void setHandshakeHeaders(Map<String, String> handshakeHeaders) {
        this.handshakeHeaders = handshakeHeaders;
    }

    public HandshakeHeadersProvider getHeadersProvider() {
        return headersProvider;
    }

    /** A bean asked for handshake headers before every connect. */
    public void setHeadersProvider(HandshakeHeadersProvider headersProvider) {
        this.headersProvider = headersProvider;
    }

    public String getStopOnCloseCodes() {
        return stopOnCloseCodes;
    }

    /** Close codes from the server that stop the route, comma-separated. */
    public void setStopOnCloseCodes(String stopOnCloseCodes) {
        this.stopOnCloseCodes = stopOnCloseCodes;
    }

    public String getStopOnHandshakeStatuses() {
        return stopOnHandshakeStatuses;
    }

    /** HTTP statuses of a refused handshake that stop the route, comma-separated. */
    public void setStopOnHandshakeStatuses(String stopOnHandshakeStatuses) {
        this.stopOnHandshakeStatuses = stopOnHandshakeStatuses;
    }

    public Integer getHandshakeRejectionsBeforeStop() {
        return handshakeRejectionsBeforeStop;
    }

    /** How many refusals in a row stop the route. */
    public void setHandshakeRejectionsBeforeStop(Integer handshakeRejectionsBeforeStop) {
        this.handshakeRejectionsBeforeStop = handshakeRejectionsBeforeStop;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    /** Messages received but not yet processed before reading is paused. */
    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    /** Largest message (and frame) accepted, in bytes. */
    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    /** How long a graceful stop waits for in-flight messages. */
    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** Bytes of received messages that may wait for the route before reading pauses (text counts its characters). */
    public void setMaxInFlightBytes(Long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public Integer getMaxBatchSize() {
        return maxBatchSize;
    }

    /** Messages already waiting together that go into the route as one exchange (a List body); 1: one per message. */
    public void setMaxBatchSize(Integer maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public Duration getStalledTimeout() {
        return stalledTimeout;
    }

    /** The oldest message waiting this long for the route reports the feed as stalled (readiness DOWN); 0 disables it. */
    public void setStalledTimeout(Duration stalledTimeout) {
        this.stalledTimeout = stalledTimeout;
    }

    @Override
    public String toString() {
        return SettingOptions.describe(this);
    }

    public String getPongMessage() {
        return pongMessage;
    }

    /** The server's reply to pingMessage: exact text or regex:...; it counts as the pong. */
    public void setPongMessage(String pongMessage) {
        this.pongMessage = pongMessage;
    }

    public String getSubscribeAck() {
        return subscribeAck;
    }

    /** The reply expected after the open messages: any, exact text or regex:.... */
    public void setSubscribeAck(String subscribeAck) {
        this.subscribeAck = subscribeAck;
    }

    public Duration getSubscribeAckTimeout() {
        return subscribeAckTimeout;
    }

    /** How long the subscribe acknowledgement may take. */
    public void setSubscribeAckTimeout(Duration subscribeAckTimeout) {
        this.subscribeAckTimeout = subscribeAckTimeout;
    }

    public Duration getMaxConnectionAge() {
        return maxConnectionAge;
    }

    /** Age at which a connection is replaced (planned reconnect); zero disables it. */
    public void setMaxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    public String getRedeployCloseCodes() {
        return redeployCloseCodes;
    }

    /** Close codes that are no failure after a stable connection, comma-separated. */
    public void setRedeployCloseCodes(String redeployCloseCodes) {
        this.redeployCloseCodes = redeployCloseCodes;
    }

    public String getBackoffCloseCodes() {
        return backoffCloseCodes;
    }

    /** Close codes that back off as a failure does, comma-separated. */
    public void setBackoffCloseCodes(String backoffCloseCodes) {
        this.backoffCloseCodes = backoffCloseCodes;
    }

    public String getRetryAfterStatuses() {
        return retryAfterStatuses;
    }

    /** Handshake statuses whose Retry-After is honoured, comma-separated. */
    public void setRetryAfterStatuses(String retryAfterStatuses) {
        this.retryAfterStatuses = retryAfterStatuses;
    }

    public String getServerUrls() {
        return serverUrls;
    }

    /** The server URLs, one per line; simple expressions are evaluated on every connect. */
    public void setServerUrls(String serverUrls) {
        this.serverUrls = serverUrls;
    }

    public ServerUrlProvider getUrlProvider() {
        return urlProvider;
    }

    /** A bean asked for the URL before every connect attempt. */
    public void setUrlProvider(ServerUrlProvider urlProvider) {
        this.urlProvider = urlProvider;
    }

    public Boolean getLifecycleEvents() {
        return lifecycleEvents;
    }

    /** Whether connects and disconnects go into the route as exchanges. */
    public void setLifecycleEvents(Boolean lifecycleEvents) {
        this.lifecycleEvents = lifecycleEvents;
    }

    public String getSequenceField() {
        return sequenceField;
    }

    /** Top-level JSON field holding a sequence number, checked for gaps. */
    public void setSequenceField(String sequenceField) {
        this.sequenceField = sequenceField;
    }

    public String getProxy() {
        return proxy;
    }

    /** http://[user:password@]host:port or socks5://[user:password@]host:port. */
    public void setProxy(String proxy) {
        this.proxy = proxy;
    }
}
