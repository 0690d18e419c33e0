package io.wslistener.source;

import io.wslistener.support.KameletRoutes;
import io.wslistener.support.RemovedRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the routes that kamelets created for a ws-listener route (its sinks: {@code kamelet:ws-file-sink} and the
 * like) when that route is removed, and theirs in turn.
 * <p>
 * Camel's KameletComponent creates a route per use of a kamelet but never removes it: a route template's route or a
 * reload that adds and removes feeds left a running sink route behind per feed, with its endpoints, its open file or
 * HTTP client and its meters (about 14 KB of heap a feed). A lifecycle strategy of the context, added and removed with
 * the component, as KameletComponent does with its own.
 */
final class KameletRouteRemoval extends RemovedRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(KameletRouteRemoval.class);

    private final CamelContext camelContext;

    KameletRouteRemoval(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    protected void removed(Route route) {
        if (!(route.getEndpoint() instanceof WsListenerEndpoint) && !route.isCreatedByKamelet()) {
            return;
        }
        for (String kameletRoute : KameletRoutes.childrenOf(camelContext, route.getRouteId())) {
            try {
                // the feed has stopped and drained, so its sink routes have nothing in flight
                camelContext.getRouteController().stopRoute(kameletRoute);
                camelContext.removeRoute(kameletRoute);
            } catch (Exception e) {
                LOG.warn("Route {}: the route {} its kamelet created could not be removed with it: {}",
                        route.getRouteId(), kameletRoute, e.toString());
            }
        }
    }
}
