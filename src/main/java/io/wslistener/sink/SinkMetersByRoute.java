package io.wslistener.sink;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.Kamelet;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The {@link SinkMeters} of one sink, one set per route that feeds it, created on first use.
 * <p>
 * The meters are tagged with the feed's route, which is not the route running the sink: one sink endpoint can be
 * shared by several routes, and behind a kamelet the sink runs in the kamelet's route (which also shows as the
 * exchange's from-route, as the kamelet hands over a copy). So the route comes from the message: the
 * {@link WsListenerConstants#ROUTE_ID} header the ws-listener consumer sets, else the route the exchange came from,
 * where a route a kamelet created stands for the route that used the kamelet. Per message this is a header lookup and a
 * map lookup, with nothing allocated; the kamelet's parent is looked up once per route.
 */
public final class SinkMetersByRoute {

    private final CamelContext camelContext;
    private final String sinkName;
    private final ConcurrentMap<String, SinkMeters> byRoute = new ConcurrentHashMap<>();

    /**
     * @param sinkName the {@code sink} tag: the sink's configured name, fixed per endpoint
     */
    public SinkMetersByRoute(CamelContext camelContext, String sinkName) {
        this.camelContext = camelContext;
        this.sinkName = sinkName;
    }

    /** The meters of the route the message belongs to; {@link SinkMeters#NONE} when metrics are off. */
    public SinkMeters of(Exchange exchange) {
        String routeId = routeIdOf(exchange);
        if (routeId == null) {
            // sent by a producer template straight to the sink, outside any route: nothing to tag it with
            return SinkMeters.NONE;
        }
        SinkMeters meters = byRoute.get(routeId);
        return meters != null
                ? meters
                : byRoute.computeIfAbsent(routeId, id -> SinkMeters.forSink(camelContext, feedRouteOf(id), sinkName));
    }

    /**
     * The route itself, or for a route a kamelet created, the route that uses the kamelet (nested ones too): Camel
     * keeps it as the kamelet route's template parameter {@link Kamelet#PARENT_ROUTE_ID}.
     */
    public String feedRouteOf(String routeId) {
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        String id = routeId;
        // bounded: a kamelet cannot use itself, but a loop here must never hang a sink
        for (int depth = 0; model != null && depth < 8; depth++) {
            Route route = camelContext.getRoute(id);
            RouteDefinition definition = route != null && route.isCreatedByKamelet() ? model.getRouteDefinition(id)
                    : null;
            Object parent = definition == null || definition.getTemplateParameters() == null
                    ? null : definition.getTemplateParameters().get(Kamelet.PARENT_ROUTE_ID);
            if (!(parent instanceof String parentId) || parentId.isBlank()) {
                return id;
            }
            id = parentId;
        }
        return id;
    }

    /** The feed's route: the ws-listener consumer's header, else the route the exchange was created in. */
    public static String routeIdOf(Exchange exchange) {
        Object header = exchange.getMessage().getHeader(WsListenerConstants.ROUTE_ID);
        return header instanceof String routeId ? routeId : exchange.getFromRouteId();
    }
}
