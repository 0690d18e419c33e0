package io.wslistener.policy;

import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;

/**
 * The connection settings of the routes that name it ({@code routePolicy: feedPolicy}). The settings are the policy's
 * own properties, in YAML ({@code properties: pingInterval: 5s}) as in Java ({@code policy.setPingInterval(...)}). A
 * setting left unset here takes the value of {@code wslistener.<setting>} from the application properties, and then
 * its default.
 * <p>
 * It applies to {@code ws-listener:} routes and to {@code vertx-websocket:...?consumeAsClient=true} routes, which get
 * the ws-listener consumer (see {@code WsListenerEndpointStrategy}).
 * <p>
 * A {@link ConnectionSettings} rather than a {@code RoutePolicySupport} that holds one: Camel's bean metadata (what
 * camel-package-maven-plugin's {@code generate-pojo-bean} writes, and Camel's tooling reads) lists the
 * {@code @Metadata} fields of the bean's class and its superclasses, so this is how every setting appears there as a
 * property of the policy. No configurer is generated: {@link WsListenerRoutePolicyConfigurer} binds the properties
 * and reads durations strictly, which a generated one would not.
 */
@Metadata(label = "bean",
          description = "Keeps a ws-listener route connected: connect timeout, keep-alive, backoff, close codes, handshake headers and how messages reach the route, for the routes that name it.",
          annotations = { "interfaceName=org.apache.camel.spi.RoutePolicy" })
@Configurer(metadataOnly = true, generateConfigurer = false)
public class WsListenerRoutePolicy extends ConnectionSettings implements RoutePolicy {

    /** Camel's helpers for a route policy, which this one cannot extend. */
    private final RoutePolicySupport camel = new RoutePolicySupport() {
    };

    @Override
    public void onInit(Route route) {
        if (!(route.getEndpoint() instanceof VertxWebsocketEndpoint endpoint)
                || !endpoint.getConfiguration().isConsumeAsClient()) {
            throw new IllegalArgumentException("Route '" + route.getRouteId() + "': routePolicy "
                    + WsListenerRoutePolicy.class.getSimpleName()
                    + " applies to WebSocket client routes (ws-listener:... or vertx-websocket:...?consumeAsClient=true), not to "
                    + route.getEndpoint().getEndpointBaseUri());
        }
        // validate now, so that a bad value stops start-up naming the route and the option
        settingsFor(route.getRouteId(), route.getCamelContext());
        camel.onInit(route); // its exception handler, which logs a stop that failed
    }

    /**
     * The validated settings of one route: this policy's values, then {@code wslistener.*} properties, then defaults.
     * A copy of its own: changing the policy afterwards does not change a running route.
     */
    public ConnectionSettings settingsFor(String routeId, CamelContext context) {
        ConnectionSettings settings = SettingOptions.resolve(this, routeId, context);
        // a setting marked secret (the proxy with its password) is masked wherever its value would be printed
        for (SettingOptions.Option option : SettingOptions.all()) {
            Object value = option.param().secret() ? option.get(settings) : null;
            if (value != null) {
                SecretValues.register(value.toString());
                UriMasking.registerSecretsOf(value.toString());
            }
        }
        return settings;
    }

    /** Stops the route from within it, on a thread of its own since stopping waits for the route: Camel's way. */
    public void stopRouteAsync(Route route) {
        camel.stopRouteAsync(route);
    }

    // nothing to do at the other moments of a route: the consumer reads its settings when it starts

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
    }
}
