package io.wslistener.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.spi.Metadata;

/**
 * The settings of a ws-listener route. Each option is a field with its {@link Metadata}: label (its group), default,
 * description and whether it is secret, written once. From these fields come the defaults, the
 * {@code wslistener.<option>} application properties, the binding of the route policy's YAML properties, the bean
 * metadata that the build generates for {@link WsListenerRoutePolicy}, the option tables of docs/connection-policy.md
 * (a test compares them) and the checks of {@link SettingChecks}. The {@code messages} group, read by the consumer
 * rather than the connection loop, is declared in {@link MessageSettings}.
 * <p>
 * An option left {@code null} is unset: {@link SettingOptions#resolve} fills it from {@code wslistener.<option>}, then
 * from its default. A route runs with such a resolved, validated copy, made at route start and never changed after.
 */
public class ConnectionSettings extends MessageSettings {

    @Metadata(label = "connection",
              description = "The server URLs, one per line (or comma-separated before ws:// or wss://), tried in turn after a failed attempt or a connection that ended before stableUptime; each may use Camel's simple language, evaluated on every connect. Unset: the route's URI.")
    private String serverUrls;
    @Metadata(label = "connection",
              description = "A bean implementing io.wslistener.policy.ServerUrlProvider (\"#bean:myUrls\"), asked for the URL before every connect attempt, on a worker thread of the route's own. Policy bean only.")
    private ServerUrlProvider urlProvider;
    @Metadata(label = "connection",
              description = "Hosts a URL computed for a connect (a serverUrls expression, a urlProvider) may point to besides those of serverUrls and the route's URI, comma-separated; * for any. A computed URL that leaves these hosts, or turns wss:// into ws://, fails the attempt.")
    private String allowedHosts;
    @Metadata(label = "connection", defaultValue = "10s", javaType = "java.time.Duration",
              description = "One attempt: TCP connect, TLS and the WebSocket handshake. An attempt that takes longer is abandoned and its connection closed.")
    private Duration connectTimeout;
    @Metadata(label = "connection", secret = true,
              description = "Proxy of the connection: http://[user:password@]host:port (HTTP CONNECT) or socks5://[user:password@]host:port. Unset: direct.")
    private String proxy;
    @Metadata(label = "connection", secret = true,
              description = "Text messages sent, in order, after every successful connect (subscribe, login); one message per line.")
    private String openMessages;
    @Metadata(label = "connection",
              description = "The reply expected after the open messages: any (any message), its exact text, or regex: followed by a Java regular expression found in the message. Without it within subscribeAckTimeout the connection is closed and counted as a failed attempt (cause no_subscribe_ack).")
    private String subscribeAck;
    @Metadata(label = "connection", defaultValue = "10s", javaType = "java.time.Duration",
              description = "How long after the open messages the reply of subscribeAck may take.")
    private Duration subscribeAckTimeout;
    @Metadata(label = "connection", defaultValue = "0", javaType = "java.time.Duration",
              description = "A connection this old is closed with 1000 and replaced at once: a planned reconnect, not a failure; 0 disables it, otherwise at least 1s.")
    private Duration maxConnectionAge;

    @Metadata(label = "security", secret = true,
              description = "Headers of the WebSocket handshake. Values may use Camel's simple language (${bean:tokens?method=current}, ${env:API_KEY}) and are evaluated again on every connect. Policy bean only (no wslistener. property).")
    private Map<String, String> handshakeHeaders;
    @Metadata(label = "security",
              description = "A bean implementing io.wslistener.policy.HandshakeHeadersProvider (\"#bean:myTokens\"), asked for headers before every connect; its headers win over the policy's and the URI's. Policy bean only.")
    private HandshakeHeadersProvider headersProvider;

    @Metadata(label = "keep-alive", defaultValue = "10s", javaType = "java.time.Duration",
              description = "WebSocket ping period; 0 disables pings (and the pong timeout).")
    private Duration pingInterval;
    @Metadata(label = "keep-alive", defaultValue = "5s", javaType = "java.time.Duration",
              description = "A pong (or any other frame) must arrive this soon after a ping, counted from the later of the ping and the last frame received; otherwise the connection is taken for dead, closed and replaced.")
    private Duration pongTimeout;
    @Metadata(label = "keep-alive",
              description = "Optional application-level text message sent with every ping, for servers that expect one (requires pingInterval > 0).")
    private String pingMessage;
    @Metadata(label = "keep-alive",
              description = "The server's reply to pingMessage: its exact text, or regex: followed by a Java regular expression found in the message (anchor it with ^ and $). A message that matches while a heartbeat waits for its reply counts as the pong and is not passed on to the route; any other message is data (requires pingMessage).")
    private String pongMessage;
    @Metadata(label = "keep-alive", defaultValue = "0", javaType = "java.time.Duration",
              description = "No data message for this long closes the connection and reconnects, even while pongs arrive; 0 disables it.")
    private Duration idleTimeout;

    @Metadata(label = "backoff", defaultValue = "1s", javaType = "java.time.Duration",
              description = "Delay before the first retry.")
    private Duration initialDelay;
    @Metadata(label = "backoff", defaultValue = "2.0",
              description = "Growth of the delay per failed attempt in a row (1.0 or more; 1.0 keeps it constant).")
    private Double multiplier;
    @Metadata(label = "backoff", defaultValue = "30s", javaType = "java.time.Duration",
              description = "Cap of the delay (no shorter than initialDelay).")
    private Duration maxDelay;
    @Metadata(label = "backoff", defaultValue = "0.2",
              description = "Fraction (0 up to, not including, 1) by which each delay is shortened at random, so that many clients do not reconnect in step. A delay lies in [nominal × (1 − jitter), nominal].")
    private Double jitter;
    @Metadata(label = "backoff", defaultValue = "0",
              description = "Failed attempts in a row before giving up and stopping the route; 0 retries for ever.")
    private Integer maxAttempts;
    @Metadata(label = "backoff", defaultValue = "10s", javaType = "java.time.Duration",
              description = "A connection must have lived this long for the backoff to start again from initialDelay. A server that accepts and drops at once keeps the delays growing.")
    private Duration stableUptime;
    @Metadata(label = "backoff", defaultValue = "429,503",
              description = "HTTP statuses of a refused handshake whose Retry-After header (seconds or an HTTP date) is honoured, capped by maxDelay.")
    private String retryAfterStatuses;
    @Metadata(label = "backoff", defaultValue = "401,403",
              description = "HTTP statuses of a refused handshake that stop the route after handshakeRejectionsBeforeStop of them in a row (300–599). Other statuses (503 during a deployment, say) are retried like any failure.")
    private String stopOnHandshakeStatuses;
    @Metadata(label = "backoff", defaultValue = "3",
              description = "How many such refusals in a row stop the route (1 or more). Any other outcome in between starts the count again.")
    private Integer handshakeRejectionsBeforeStop;
    @Metadata(label = "backoff", defaultValue = "1008",
              description = "Close codes from the server that stop the route instead of reconnecting (comma-separated, 1000–4999).")
    private String stopOnCloseCodes;
    @Metadata(label = "backoff", defaultValue = "1001,1012",
              description = "Close codes that, after a connection that lived stableUptime, are no failure (a server redeploying): the next attempt is after initialDelay and the count of failures starts again.")
    private String redeployCloseCodes;
    @Metadata(label = "backoff", defaultValue = "1013",
              description = "Close codes that back off as a failure does, however long the connection lived.")
    private String backoffCloseCodes;

    /** Every option at its default. */
    public static ConnectionSettings defaults() {
        return SettingOptions.withDefaults(new ConnectionSettings());
    }

    /**
     * Checks every value once, so that a bad one stops the route at start-up instead of surfacing mid-flight.
     *
     * @throws InvalidSettingException naming the route, the option and what is allowed
     */
    public ConnectionSettings validate(String routeId) {
        SettingChecks.check(this, routeId);
        return this;
    }

    /** The options that are set; secrets masked (see {@link SettingOptions#describe}). */
    @Override
    public String toString() {
        return SettingOptions.describe(this);
    }

    /** {@link #getOpenMessages()}, one message per non-blank line. */
    public List<String> openMessageList() {
        return openMessages == null ? List.of()
                : openMessages.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    // the lists of codes as numbers, valid once validate passed

    public Set<Integer> stopOnCloseCodeSet() {
        return SettingChecks.codes(null, "stopOnCloseCodes", stopOnCloseCodes);
    }

    public Set<Integer> stopOnHandshakeStatusSet() {
        return SettingChecks.codes(null, "stopOnHandshakeStatuses", stopOnHandshakeStatuses);
    }

    public Set<Integer> redeployCloseCodeSet() {
        return SettingChecks.codes(null, "redeployCloseCodes", redeployCloseCodes);
    }

    public Set<Integer> backoffCloseCodeSet() {
        return SettingChecks.codes(null, "backoffCloseCodes", backoffCloseCodes);
    }

    public Set<Integer> retryAfterStatusSet() {
        return SettingChecks.codes(null, "retryAfterStatuses", retryAfterStatuses);
    }

    public String getServerUrls() {
        return serverUrls;
    }

    public void setServerUrls(String serverUrls) {
        this.serverUrls = serverUrls;
    }

    public ServerUrlProvider getUrlProvider() {
        return urlProvider;
    }

    public void setUrlProvider(ServerUrlProvider urlProvider) {
        this.urlProvider = urlProvider;
    }

    public String getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(String allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public String getProxy() {
        return proxy;
    }

    public void setProxy(String proxy) {
        this.proxy = proxy;
    }

    public String getOpenMessages() {
        return openMessages;
    }

    public void setOpenMessages(String openMessages) {
        this.openMessages = openMessages;
    }

    public String getSubscribeAck() {
        return subscribeAck;
    }

    public void setSubscribeAck(String subscribeAck) {
        this.subscribeAck = subscribeAck;
    }

    public Duration getSubscribeAckTimeout() {
        return subscribeAckTimeout;
    }

    public void setSubscribeAckTimeout(Duration subscribeAckTimeout) {
        this.subscribeAckTimeout = subscribeAckTimeout;
    }

    public Duration getMaxConnectionAge() {
        return maxConnectionAge;
    }

    public void setMaxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    public Map<String, String> getHandshakeHeaders() {
        return handshakeHeaders;
    }

    /**
     * Kept as given, not copied: Camel's property binding creates the map, passes it here and then puts the first entry
     * into its own reference, so a copy would lose that header. The resolved settings take their own copy.
     */
    public void setHandshakeHeaders(Map<String, String> handshakeHeaders) {
        this.handshakeHeaders = handshakeHeaders;
    }

    public HandshakeHeadersProvider getHeadersProvider() {
        return headersProvider;
    }

    public void setHeadersProvider(HandshakeHeadersProvider headersProvider) {
        this.headersProvider = headersProvider;
    }

    public Duration getPingInterval() {
        return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
        this.pingInterval = pingInterval;
    }

    public Duration getPongTimeout() {
        return pongTimeout;
    }

    public void setPongTimeout(Duration pongTimeout) {
        this.pongTimeout = pongTimeout;
    }

    public String getPingMessage() {
        return pingMessage;
    }

    public void setPingMessage(String pingMessage) {
        this.pingMessage = pingMessage;
    }

    public String getPongMessage() {
        return pongMessage;
    }

    public void setPongMessage(String pongMessage) {
        this.pongMessage = pongMessage;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(Duration initialDelay) {
        this.initialDelay = initialDelay;
    }

    public Double getMultiplier() {
        return multiplier;
    }

    public void setMultiplier(Double multiplier) {
        this.multiplier = multiplier;
    }

    public Duration getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    public Double getJitter() {
        return jitter;
    }

    public void setJitter(Double jitter) {
        this.jitter = jitter;
    }

    public Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getStableUptime() {
        return stableUptime;
    }

    public void setStableUptime(Duration stableUptime) {
        this.stableUptime = stableUptime;
    }

    public String getRetryAfterStatuses() {
        return retryAfterStatuses;
    }

    public void setRetryAfterStatuses(String retryAfterStatuses) {
        this.retryAfterStatuses = retryAfterStatuses;
    }

    public String getStopOnHandshakeStatuses() {
        return stopOnHandshakeStatuses;
    }

    public void setStopOnHandshakeStatuses(String stopOnHandshakeStatuses) {
        this.stopOnHandshakeStatuses = stopOnHandshakeStatuses;
    }

    public Integer getHandshakeRejectionsBeforeStop() {
        return handshakeRejectionsBeforeStop;
    }

    public void setHandshakeRejectionsBeforeStop(Integer handshakeRejectionsBeforeStop) {
        this.handshakeRejectionsBeforeStop = handshakeRejectionsBeforeStop;
    }

    public String getStopOnCloseCodes() {
        return stopOnCloseCodes;
    }

    public void setStopOnCloseCodes(String stopOnCloseCodes) {
        this.stopOnCloseCodes = stopOnCloseCodes;
    }

    public String getRedeployCloseCodes() {
        return redeployCloseCodes;
    }

    public void setRedeployCloseCodes(String redeployCloseCodes) {
        this.redeployCloseCodes = redeployCloseCodes;
    }

    public String getBackoffCloseCodes() {
        return backoffCloseCodes;
    }

    public void setBackoffCloseCodes(String backoffCloseCodes) {
        this.backoffCloseCodes = backoffCloseCodes;
    }
}
