package io.wslistener.source;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;

/**
 * Connects to a WebSocket server and keeps the connection for good (backoff, keep-alive, connection settings on the
 * route policy), delivering every message in arrival order.
 * <p>
 * A {@code vertx-websocket} endpoint whose client consumer is the ws-listener one; producer and server consumer are the
 * stock ones. Its options are those of {@code vertx-websocket} that make sense for a client; the reconnect options of
 * {@code vertx-websocket} are refused (see {@link WsListenerComponent}), the route policy's settings replace them.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "ws-listener", extendsScheme = "vertx-websocket", title = "ws-listener",
             syntax = "ws-listener:host:port/path", category = { Category.NETWORKING, Category.HTTP },
             consumerOnly = true,
             headersClass = WsListenerConstants.class)
// the reconnect options of vertx-websocket, which the URI refuses (WsListenerComponent.REPLACED_OPTIONS)
@Metadata(excludeProperties = "reconnectInitialDelay,reconnectInterval,maxReconnectAttempts")
public class WsListenerEndpoint extends VertxWebsocketEndpoint implements MultipleConsumersSupport {

    // the started client consumer: one per endpoint, as Camel's own check would have it (isMultipleConsumersSupported)
    private WsListenerConsumer consumer;

    public WsListenerEndpoint(String uri, VertxWebsocketComponent component,
                              VertxWebsocketConfiguration configuration) {
        super(uri, component, configuration);
    }

    @Override
    public boolean isLenientProperties() {
        // an existing vertx-websocket route keeps the stock leniency; the ws-listener: scheme is strict
        return !(getComponent() instanceof WsListenerComponent);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!getConfiguration().isConsumeAsClient()) {
            return super.createConsumer(processor);
        }
        Consumer consumer = new WsListenerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Says yes for the client consumer so that Camel skips its own check of one consumer per endpoint, and
     * {@link #startConsuming} makes that check instead. Camel's check, made as each route starts, compares the
     * endpoint with the endpoint of every route started before it: with thousands of feeds that was quadratic, about
     * a tenth of the start-up at 3,000 feeds. The server consumer (vertx-websocket without consumeAsClient) keeps
     * Camel's check.
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return getConfiguration().isConsumeAsClient();
    }

    /**
     * Two routes from one ws-listener URI would open two sockets to the same feed: the second is refused, with the
     * words of Camel's own check.
     */
    synchronized void startConsuming(WsListenerConsumer starting) throws FailedToStartRouteException {
        WsListenerConsumer other = consumer;
        if (other != null && other != starting
                && (other.isStarting() || other.isStarted() || other.isSuspending() || other.isSuspended())) {
            throw new FailedToStartRouteException(starting.getRouteId(),
                    "Multiple consumers for the same endpoint is not allowed: " + this + " (route '"
                            + other.getRouteId() + "' consumes from it)");
        }
        consumer = starting;
    }

    /**
     * The same endpoint object, nothing else: the registry holds one per URI and context. While routes are created,
     * Camel keeps every endpoint in a set that it searches with equals for each endpoint added
     * (DeferServiceStartupListener), and DefaultEndpoint.equals compares URIs and context names.
     */
    @Override
    public boolean equals(Object object) {
        return this == object;
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    Vertx vertx() {
        return getVertx();
    }

    WebSocketConnectOptions connectOptions(HttpClientOptions options) {
        return getWebSocketConnectOptions(options);
    }
}
