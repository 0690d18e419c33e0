package io.wslistener.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.wslistener.connection.ConnectionSettings;
import io.wslistener.connection.InvalidSettingException;
import io.wslistener.source.WsListenerEndpoint;
import io.wslistener.source.WsListenerEndpointStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Carries the connection settings of the routes that name it ({@code routePolicy: myPolicy}). A setting left unset
 * here takes the value of {@code wslistener.<setting>} from the application properties, and then the built-in default.
 * <p>
 * Naming this policy on a {@code vertx-websocket:...?consumeAsClient=true} route is enough to give that route the
 * ws-listener consumer: the policy installs an endpoint strategy that swaps the stock client endpoint for ours when the
 * policy is bound, before routes are created.
 */
public class WsListenerRoutePolicy extends RoutePolicySupport implements CamelContextAware {

    /** Prefix of the application properties that carry the defaults. */
    public static final String PROPERTY_PREFIX = "wslistener.";

    private CamelContext camelContext;

    private Duration connectTimeout;
    private Duration initialDelay;
    private Double multiplier;
    private Duration maxDelay;
    private Double jitter;
    private Integer maxAttempts;
    private Duration stableUptime;
    private Duration pingInterval;
    private Duration pongTimeout;
    private String pingMessage;
    private String pongMessage;
    private Duration idleTimeout;
    private String openMessages;
    private Map<String, String> handshakeHeaders;
    private HandshakeHeadersProvider headersProvider;
    private ServerUrlProvider urlProvider;
    private String stopOnCloseCodes;
    private String stopOnHandshakeStatuses;
    private Integer handshakeRejectionsBeforeStop;
    private Integer maxInFlight;
    private Integer maxMessageSize;
    private Duration drainTimeout;
    private String subscribeAck;
    private Duration subscribeAckTimeout;
    private Duration maxConnectionAge;
    private String redeployCloseCodes;
    private String backoffCloseCodes;
    private String retryAfterStatuses;
    private String serverUrls;
    private Boolean lifecycleEvents;
    private String sequenceField;
    private String proxy;
    // issue 15 fields end

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        WsListenerEndpointStrategy.installOn(camelContext);
    }

    @Override
    public void onInit(Route route) {
        if (!(route.getEndpoint() instanceof VertxWebsocketEndpoint endpoint)
                || !endpoint.getConfiguration().isConsumeAsClient()) {
            throw new IllegalArgumentException("Route '" + route.getRouteId() + "': routePolicy "
                                               + WsListenerRoutePolicy.class.getSimpleName()
                                               + " applies to WebSocket client routes (ws-listener:... or vertx-websocket:...?consumeAsClient=true), not to "
                                               + route.getEndpoint().getEndpointBaseUri());
        }
        if (!(endpoint instanceof WsListenerEndpoint)) {
            throw new IllegalStateException("Route '" + route.getRouteId() + "': the endpoint " + endpoint.getEndpointBaseUri()
                                            + " was created before the ws-listener policy was bound; declare the policy bean before the routes, or use the ws-listener: scheme");
        }
        // validate now, so that a bad value stops start-up naming the route and the option
        settingsFor(route.getRouteId(), route.getCamelContext());
    }

    /**
     * The validated settings of one route: this policy's values, then {@code wslistener.*} properties, then defaults.
     */
    public ConnectionSettings settingsFor(String routeId, CamelContext context) {
        PropertyDefaults defaults = new PropertyDefaults(context, routeId);
        defaults.rejectUnknownProperties();
        ConnectionSettings settings = new ConnectionSettings(
                pick(connectTimeout, defaults.duration("connectTimeout", "10s")),
                pick(initialDelay, defaults.duration("initialDelay", "1s")),
                pick(multiplier, defaults.number("multiplier", Double.class, "2.0")),
                pick(maxDelay, defaults.duration("maxDelay", "30s")),
                pick(jitter, defaults.number("jitter", Double.class, "0.2")),
                pick(maxAttempts, defaults.number("maxAttempts", Integer.class, "0")),
                pick(stableUptime, defaults.duration("stableUptime", "10s")),
                pick(pingInterval, defaults.duration("pingInterval", "10s")),
                pick(pongTimeout, defaults.duration("pongTimeout", "5s")),
                pick(pingMessage, defaults.text("pingMessage", null)),
                pick(idleTimeout, defaults.duration("idleTimeout", "0s")),
                lines(pick(openMessages, defaults.text("openMessages", ""))),
                pick(handshakeHeaders, Map.of()),
                codes(routeId, "stopOnCloseCodes", pick(stopOnCloseCodes, defaults.text("stopOnCloseCodes", "1008"))),
                codes(routeId, "stopOnHandshakeStatuses",
                        pick(stopOnHandshakeStatuses, defaults.text("stopOnHandshakeStatuses", "401,403"))),
                pick(handshakeRejectionsBeforeStop, defaults.number("handshakeRejectionsBeforeStop", Integer.class, "3")),
                pick(maxInFlight, defaults.number("maxInFlight", Integer.class, "1000")),
                pick(maxMessageSize, defaults.number("maxMessageSize", Integer.class, "1048576")),
                pick(drainTimeout, defaults.duration("drainTimeout", "30s")),
                pick(pongMessage, defaults.text("pongMessage", null)),
                pick(subscribeAck, defaults.text("subscribeAck", null)),
                pick(subscribeAckTimeout, defaults.duration("subscribeAckTimeout", "10s")),
                pick(maxConnectionAge, defaults.duration("maxConnectionAge", "0s")),
                codes(routeId, "redeployCloseCodes", pick(redeployCloseCodes, defaults.text("redeployCloseCodes", "1001,1012"))),
                codes(routeId, "backoffCloseCodes", pick(backoffCloseCodes, defaults.text("backoffCloseCodes", "1013"))),
                codes(routeId, "retryAfterStatuses", pick(retryAfterStatuses, defaults.text("retryAfterStatuses", "429,503"))),
                pick(serverUrls, defaults.text("serverUrls", null)),
                pick(lifecycleEvents, defaults.number("lifecycleEvents", Boolean.class, "false")),
                pick(sequenceField, defaults.text("sequenceField", null)),
                pick(proxy, defaults.text("proxy", null)));
        return SettingLimits.check(routeId, settings.validate(routeId));
    }

    private static <T> T pick(T explicit, T fallback) {
        return explicit != null ? explicit : fallback;
    }

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
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

    public HandshakeHeadersProvider getHeadersProvider() {
        return headersProvider;
    }

    /** Handshake headers, as given (placeholders and simple expressions are evaluated on every connect). */
    public Map<String, String> getHandshakeHeaders() {
        return handshakeHeaders;
    }

    /**
     * Kept as given, not copied: Camel's property binding creates the map, passes it here and then puts the first entry
     * into its own reference, so a copy would silently lose that header. The settings take their own copy anyway.
     */
    public void setHandshakeHeaders(Map<String, String> handshakeHeaders) {
        this.handshakeHeaders = handshakeHeaders;
    }

    public void setHeadersProvider(HandshakeHeadersProvider headersProvider) {
        this.headersProvider = headersProvider;
    }

    public ServerUrlProvider getUrlProvider() {
        return urlProvider;
    }

    /** A bean asked for the URL before every connect attempt ({@code "#bean:myUrls"}). */
    public void setUrlProvider(ServerUrlProvider urlProvider) {
        this.urlProvider = urlProvider;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
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

    /** The server's reply to {@code pingMessage}: exact text, or {@code regex:<pattern>}; it counts as the pong. */
    public void setPongMessage(String pongMessage) {
        this.pongMessage = pongMessage;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** The open messages, one per line. */
    public String getOpenMessages() {
        return openMessages;
    }

    /**
     * Text messages sent after every connect, one message per line (a YAML block scalar {@code |} keeps the lines).
     */
    public void setOpenMessages(String openMessages) {
        this.openMessages = openMessages;
    }

    public String getStopOnCloseCodes() {
        return stopOnCloseCodes;
    }

    public void setStopOnCloseCodes(String stopOnCloseCodes) {
        this.stopOnCloseCodes = stopOnCloseCodes;
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

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public String getSubscribeAck() {
        return subscribeAck;
    }

    /** After the open messages, the reply that must arrive within subscribeAckTimeout: any, exact text or regex:...; null when none is awaited */
    public void setSubscribeAck(String subscribeAck) {
        this.subscribeAck = subscribeAck;
    }

    public Duration getSubscribeAckTimeout() {
        return subscribeAckTimeout;
    }

    /** How long after the open messages the subscribe acknowledgement may take */
    public void setSubscribeAckTimeout(Duration subscribeAckTimeout) {
        this.subscribeAckTimeout = subscribeAckTimeout;
    }

    public Duration getMaxConnectionAge() {
        return maxConnectionAge;
    }

    /** A connection this old is closed (1000) and replaced at once, as a planned reconnect; zero disables it */
    public void setMaxConnectionAge(Duration maxConnectionAge) {
        this.maxConnectionAge = maxConnectionAge;
    }

    public String getRedeployCloseCodes() {
        return redeployCloseCodes;
    }

    /** Close codes that, after a connection that lived stableUptime, are no failure: reconnect after initialDelay */
    public void setRedeployCloseCodes(String redeployCloseCodes) {
        this.redeployCloseCodes = redeployCloseCodes;
    }

    public String getBackoffCloseCodes() {
        return backoffCloseCodes;
    }

    /** Close codes that back off as a failure does, however long the connection lived */
    public void setBackoffCloseCodes(String backoffCloseCodes) {
        this.backoffCloseCodes = backoffCloseCodes;
    }

    public String getRetryAfterStatuses() {
        return retryAfterStatuses;
    }

    /** HTTP statuses of a refused handshake whose Retry-After header is honoured (capped by maxDelay) */
    public void setRetryAfterStatuses(String retryAfterStatuses) {
        this.retryAfterStatuses = retryAfterStatuses;
    }

    public String getServerUrls() {
        return serverUrls;
    }

    /** The server URLs, comma-separated or one per line, tried in order on failure; each may hold simple expressions evaluated on every connect; null: the route's URI */
    public void setServerUrls(String serverUrls) {
        this.serverUrls = serverUrls;
    }

    public Boolean getLifecycleEvents() {
        return lifecycleEvents;
    }

    /** Whether an exchange with header CamelWsListenerEvent=connected|disconnected goes into the route on every connect and disconnect */
    public void setLifecycleEvents(Boolean lifecycleEvents) {
        this.lifecycleEvents = lifecycleEvents;
    }

    public String getSequenceField() {
        return sequenceField;
    }

    /** Top-level field of JSON text messages holding a sequence number; a break in it is reported on the message (header CamelWsListenerGap) and in a meter; null: no check */
    public void setSequenceField(String sequenceField) {
        this.sequenceField = sequenceField;
    }

    public String getProxy() {
        return proxy;
    }

    /** Proxy for the connection: http://[user:password@]host:port (HTTP CONNECT) or socks5://[user:password@]host:port; null: none */
    public void setProxy(String proxy) {
        this.proxy = proxy;
    }
}
