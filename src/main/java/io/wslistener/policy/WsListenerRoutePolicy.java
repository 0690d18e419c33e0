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
    private Duration idleTimeout;
    private String openMessages;
    private Map<String, String> handshakeHeaders;
    private HandshakeHeadersProvider headersProvider;
    private String stopOnCloseCodes;
    private String stopOnHandshakeStatuses;
    private Integer handshakeRejectionsBeforeStop;
    private Integer maxInFlight;
    private Integer maxMessageSize;
    private Duration drainTimeout;
    private Long maxInFlightBytes;
    private Duration stalledTimeout;

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
                pick(maxInFlightBytes, defaults.number("maxInFlightBytes", Long.class, "33554432")),
                pick(stalledTimeout, defaults.duration("stalledTimeout", "60s")));
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
                                                                     + ("stopOnCloseCodes".equals(option) ? "1008,4001" : "401,403"));
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

    public Long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** Bytes of received messages that may wait for the route before reading pauses (text counts its characters). */
    public void setMaxInFlightBytes(Long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public Duration getStalledTimeout() {
        return stalledTimeout;
    }

    /** Reading paused without a break for this long reports the feed as stalled (readiness DOWN); 0 disables it. */
    public void setStalledTimeout(Duration stalledTimeout) {
        this.stalledTimeout = stalledTimeout;
    }
}
