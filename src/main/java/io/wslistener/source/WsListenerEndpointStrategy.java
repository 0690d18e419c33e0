package io.wslistener.source;

import io.wslistener.policy.WsListenerRoutePolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Swaps a stock {@code vertx-websocket} client endpoint for a {@link WsListenerEndpoint} with the same configuration, so
 * that an existing {@code vertx-websocket:...?consumeAsClient=true} route gets the ws-listener consumer without
 * rewriting its URI. Server and producer endpoints are left alone, and so is every endpoint of a context that has no
 * {@link WsListenerRoutePolicy} bean (yet): having this jar on the classpath changes nothing for routes that do not ask
 * for it. Installed in every context by {@link DropInPlugin}.
 */
public final class WsListenerEndpointStrategy implements EndpointStrategy {

    private static final WsListenerEndpointStrategy INSTANCE = new WsListenerEndpointStrategy();

    private WsListenerEndpointStrategy() {
    }

    /** Installs the strategy once per context (Camel keeps strategies in a set, so calling again is harmless). */
    public static void installOn(CamelContext camelContext) {
        camelContext.getCamelContextExtension().registerEndpointCallback(INSTANCE);
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof VertxWebsocketEndpoint stock && !(endpoint instanceof WsListenerEndpoint)
                && stock.getConfiguration().isConsumeAsClient()
                && !stock.getCamelContext().getRegistry().findByType(WsListenerRoutePolicy.class).isEmpty()) {
            WsListenerEndpoint replacement = new WsListenerEndpoint(
                    stock.getEndpointUri(), (VertxWebsocketComponent) stock.getComponent(), stock.getConfiguration());
            replacement.setCamelContext(stock.getCamelContext());
            return replacement;
        }
        return endpoint;
    }
}
