package io.wslistener.source;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.wslistener.policy.HandshakeHeaders;
import io.wslistener.support.UriMasking;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
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

    /** The endpoint options that make sense for a client, named when an unknown one is met. */
    static final String CLIENT_OPTIONS = "sslContextParameters, clientOptions, clientSubProtocols, handshake.<Header>, "
            + "allowOriginHeader, originHeaderUrl, bridgeErrorHandler, exceptionHandler, "
            + "query.<parameter>";

    /**
     * The reconnect options of {@code vertx-websocket}, which the ws-listener consumer does not use, and the route
     * policy settings that replace them: accepted silently, they would look like they work.
     */
    static final Map<String, String> REPLACED_OPTIONS = Map.of(
            "reconnectInitialDelay", "initialDelay",
            "reconnectInterval", "initialDelay and maxDelay (with multiplier 1.0 for a fixed interval)",
            "maxReconnectAttempts", "maxAttempts");

    private KameletRouteRemoval kameletRouteRemoval;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // before any endpoint exists, so that Camel masks credentials in the endpoint URIs it prints, too
        UriMasking.registerWith(getCamelContext());
        kameletRouteRemoval = new KameletRouteRemoval(getCamelContext());
        getCamelContext().addLifecycleStrategy(kameletRouteRemoval);
    }

    @Override
    protected void doShutdown() throws Exception {
        getCamelContext().getLifecycleStrategies().remove(kameletRouteRemoval);
        super.doShutdown();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, Object> query = PropertiesHelper.extractProperties(parameters, "query.");
        refuseReplacedOptions(uri, parameters);
        checkHandshakeHeaders(uri, parameters);
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

    /**
     * Names the unknown options but, unlike Camel's message, not their values: a query parameter written without its
     * {@code query.} prefix is often the one that carries the API key.
     */
    @Override
    protected void validateParameters(String uri, Map<String, Object> parameters, String optionPrefix) {
        Map<String, Object> unknown = optionPrefix == null ? parameters
                : PropertiesHelper.extractProperties(new LinkedHashMap<>(parameters), optionPrefix);
        if (unknown != null && !unknown.isEmpty()) {
            throw new ResolveEndpointFailedException(UriMasking.mask(uri),
                    "unknown option" + (unknown.size() == 1 ? " " : "s ")
                            + new TreeSet<>(unknown.keySet())
                            + "; ws-listener takes " + CLIENT_OPTIONS
                            + " (a query parameter for the server needs the query. prefix;"
                            + " connection settings go on the route policy)");
        }
    }

    private static void refuseReplacedOptions(String uri, Map<String, Object> parameters) {
        for (Map.Entry<String, String> replaced : new TreeMap<>(REPLACED_OPTIONS).entrySet()) {
            if (parameters.containsKey(replaced.getKey())) {
                throw new ResolveEndpointFailedException(UriMasking.mask(uri), "the vertx-websocket option "
                        + replaced.getKey()
                        + " is not used by ws-listener; set "
                        + replaced.getValue()
                        + " on the route policy instead");
            }
        }
    }

    private static void checkHandshakeHeaders(String uri, Map<String, Object> parameters) {
        try {
            HandshakeHeaders.checkUriOptions(parameters);
        } catch (IllegalArgumentException e) {
            throw new ResolveEndpointFailedException(UriMasking.mask(uri), e.getMessage());
        }
    }
}
