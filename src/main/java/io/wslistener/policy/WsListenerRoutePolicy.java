package io.wslistener.policy;

import io.wslistener.support.SecretValues;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEndpoint;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Carries the connection settings of the routes that name it ({@code routePolicy: myPolicy}), in its
 * {@link ConnectionSettings}. In YAML the settings are the bean's own properties ({@code properties: pingInterval: 5s});
 * in Java {@code policy.getConfiguration().setPingInterval(...)}. A setting left unset here takes the value of
 * {@code wslistener.<setting>} from the application properties, and then its default.
 * <p>
 * It applies to {@code ws-listener:} routes and to {@code vertx-websocket:...?consumeAsClient=true} routes, which get
 * the ws-listener consumer (see {@code WsListenerEndpointStrategy}).
 */
public class WsListenerRoutePolicy extends RoutePolicySupport {

    /** Prefix of the application properties that carry the defaults. */
    public static final String PROPERTY_PREFIX = SettingOptions.PROPERTY_PREFIX;

    private ConnectionSettings configuration = new ConnectionSettings();

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
    }

    /**
     * The validated settings of one route: this policy's values, then {@code wslistener.*} properties, then defaults.
     * A copy of its own: changing the policy afterwards does not change a running route.
     */
    public ConnectionSettings settingsFor(String routeId, CamelContext context) {
        ConnectionSettings settings = SettingOptions.resolve(configuration, routeId, context);
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

    /** The settings as given to this policy; an unset one is null. */
    public ConnectionSettings getConfiguration() {
        return configuration;
    }

    public void setConfiguration(ConnectionSettings configuration) {
        this.configuration = configuration;
    }
}
