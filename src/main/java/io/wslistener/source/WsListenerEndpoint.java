package io.wslistener.source;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
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
public class WsListenerEndpoint extends VertxWebsocketEndpoint {

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

    Vertx vertx() {
        return getVertx();
    }

    WebSocketConnectOptions connectOptions(HttpClientOptions options) {
        return getWebSocketConnectOptions(options);
    }
}
