package io.wslistener.support;

import java.util.Collection;

import org.apache.camel.Route;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * A lifecycle strategy of the context that hears of each route Camel removes while the context runs (a route
 * template's route, a reload), so that what is kept for the route goes with it.
 * <p>
 * Camel also reports every route as removed when the whole context stops, before the route has stopped: those are left
 * alone, so that the dev console, the health checks and the meters still show a feed while it drains, and what they
 * keep goes with the context.
 */
public abstract class RemovedRoutes extends LifecycleStrategySupport {

    @Override
    public final void onRoutesRemove(Collection<Route> routes) {
        for (Route route : routes) {
            if (!route.getCamelContext().isStopping()) {
                removed(route);
            }
        }
    }

    /** {@code route} is gone for good: let go of what is kept for it. */
    protected abstract void removed(Route route);
}
