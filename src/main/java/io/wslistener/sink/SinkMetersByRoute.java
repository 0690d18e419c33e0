package io.wslistener.sink;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.support.KameletRoutes;
import io.wslistener.support.RemovedRoutes;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;

/**
 * The {@link SinkMeters} of one sink, one set per route that feeds it, created on first use.
 * <p>
 * The meters are tagged with the feed's route, which is not the route running the sink: one sink endpoint can be
 * shared by several routes, and behind a kamelet the sink runs in the kamelet's route (which also shows as the
 * exchange's from-route, as the kamelet hands over a copy). So the route comes from the message: the
 * {@link WsListenerConstants#ROUTE_ID} header the ws-listener consumer sets, else the route the exchange came from,
 * where a route a kamelet created stands for the route that used the kamelet. Per message this is a header lookup and a
 * map lookup, with nothing allocated; the kamelet's parent is looked up once per route.
 * <p>
 * A lifecycle strategy of the context for as long as its sink endpoint exists: a feed's route that Camel removes takes
 * its meters out of the registry, and so does the removal of the sink endpoint itself (its last route went).
 */
public final class SinkMetersByRoute extends RemovedRoutes {

    /** The meters of one route the messages came from, and the feed route they are tagged with. */
    private record RouteMeters(String feedRouteId, SinkMeters meters) {
    }

    private final CamelContext camelContext;
    private final Endpoint sink;
    private final String sinkName;
    private final ConcurrentMap<String, RouteMeters> byRoute = new ConcurrentHashMap<>();

    private SinkMetersByRoute(Endpoint sink, String sinkName) {
        this.camelContext = sink.getCamelContext();
        this.sink = sink;
        this.sinkName = sinkName;
    }

    /**
     * The meters of a sink endpoint, told of removed routes until the endpoint is removed (as Camel's own components
     * do with a lifecycle strategy of theirs, KameletComponent for one). Once per endpoint: a restart keeps them.
     *
     * @param sinkName the {@code sink} tag: the sink's configured name, fixed per endpoint
     */
    public static SinkMetersByRoute register(Endpoint sink, String sinkName) {
        SinkMetersByRoute meters = new SinkMetersByRoute(sink, sinkName);
        sink.getCamelContext().addLifecycleStrategy(meters);
        return meters;
    }

    /** The meters of the route the message belongs to; {@link SinkMeters#NONE} when metrics are off. */
    public SinkMeters of(Exchange exchange) {
        String routeId = routeIdOf(exchange);
        if (routeId == null) {
            // sent by a producer template straight to the sink, outside any route: nothing to tag it with
            return SinkMeters.NONE;
        }
        RouteMeters meters = byRoute.get(routeId);
        return meters != null ? meters.meters() : byRoute.computeIfAbsent(routeId, id -> {
            String feedRouteId = feedRouteOf(id);
            return new RouteMeters(feedRouteId, SinkMeters.forSink(camelContext, feedRouteId, sinkName));
        }).meters();
    }

    /** A removed route takes its meters with it (a kamelet's route only its entry: the meters are its parent's). */
    @Override
    protected void removed(Route route) {
        String removed = route.getRouteId();
        byRoute.entrySet().removeIf(entry -> {
            if (entry.getValue().feedRouteId().equals(removed)) {
                entry.getValue().meters().remove();
                return true;
            }
            return entry.getKey().equals(removed);
        });
    }

    @Override
    public void onEndpointRemove(Endpoint endpoint) {
        if (endpoint == sink) {
            camelContext.getLifecycleStrategies().remove(this);
            byRoute.values().forEach(meters -> meters.meters().remove());
            byRoute.clear();
        }
    }

    /** The route itself, or for a route a kamelet created, the route that uses the kamelet (nested ones too). */
    public String feedRouteOf(String routeId) {
        String id = routeId;
        // bounded: a kamelet cannot use itself, but a loop here must never hang a sink
        for (int depth = 0; depth < 8; depth++) {
            String parent = KameletRoutes.parentOf(camelContext, id);
            if (parent == null) {
                return id;
            }
            id = parent;
        }
        return id;
    }

    /** The feed's route: the ws-listener consumer's header, else the route the exchange was created in. */
    public static String routeIdOf(Exchange exchange) {
        Object header = exchange.getMessage().getHeader(WsListenerConstants.ROUTE_ID);
        return header instanceof String routeId ? routeId : exchange.getFromRouteId();
    }
}
