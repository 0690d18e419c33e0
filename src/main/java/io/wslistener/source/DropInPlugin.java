package io.wslistener.source;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ContextServicePlugin;

/**
 * Gives existing {@code vertx-websocket:...?consumeAsClient=true} routes the ws-listener consumer in every CamelContext
 * that has this jar: discovered by Camel through {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin}
 * and run while the context is built, before any endpoint exists, it installs the {@link WsListenerEndpointStrategy}.
 */
public final class DropInPlugin implements ContextServicePlugin {

    @Override
    public void load(CamelContext camelContext) {
        WsListenerEndpointStrategy.installOn(camelContext);
    }
}
