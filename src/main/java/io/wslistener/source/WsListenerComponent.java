package io.wslistener.source;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.util.PropertiesHelper;
import org.apache.camel.util.URISupport;

/**
 * The {@code ws-listener:} component: the URI syntax, client options, TLS and handshake headers of
 * {@code vertx-websocket}, always as a client, with the ws-listener consumer. Unlike {@code vertx-websocket}, an
 * unknown option fails instead of being appended to the server URL; query parameters for the server go in with the
 * {@code query.} prefix.
 */
@Component("ws-listener")
public class WsListenerComponent extends VertxWebsocketComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, Object> query = PropertiesHelper.extractProperties(parameters, "query.");
        VertxWebsocketEndpoint endpoint = (VertxWebsocketEndpoint) super.createEndpoint(uri, remaining, parameters);
        VertxWebsocketConfiguration configuration = endpoint.getConfiguration();
        configuration.setConsumeAsClient(true);
        if (!query.isEmpty()) {
            configuration.setWebsocketURI(URISupport.createRemainingURI(configuration.getWebsocketURI(), query));
        }
        return endpoint;
    }

    @Override
    protected VertxWebsocketEndpoint createEndpointInstance(String uri, VertxWebsocketConfiguration configuration) {
        return new WsListenerEndpoint(uri, this, configuration);
    }
}
