package io.wslistener.spi;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wslistener.support.RemovedRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The {@link FeedStatus} of every feed of a CamelContext, for the dev console and the consumer's JMX attributes: both
 * read the same counts. A feed that stops stays listed with its last state (stopped, or failed and why) until its
 * route starts again or is removed: registered as a lifecycle strategy of the context, it forgets a route that Camel
 * removes (a route template's route, a reload).
 */
public final class FeedStatuses extends RemovedRoutes implements FeedObserver {

    /** The bean name under which the context's instance is bound. */
    public static final String BEAN = "wsListenerFeedStatuses";

    private final Map<String, FeedStatus> byRoute = new ConcurrentHashMap<>();

    /** The context's instance, or null when none is bound. */
    public static FeedStatuses of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, FeedStatuses.class);
    }

    @Override
    public void feedStarted(Feed feed) {
        FeedStatus status = new FeedStatus(feed);
        feed.loop().addListener(status);
        byRoute.put(feed.routeId(), status);
    }

    @Override
    public void feedStopped(Feed feed) {
        // kept: the console still shows the feed, stopped or failed
    }

    @Override
    protected void removed(Route route) {
        byRoute.remove(route.getRouteId());
    }

    /** The status of the feed that runs (or last ran) in this route, or null. */
    public FeedStatus of(String routeId) {
        return byRoute.get(routeId);
    }

    /** The status of this very feed, or null when it is not (or no longer) the route's current one. */
    public FeedStatus of(Feed feed) {
        FeedStatus status = feed == null ? null : byRoute.get(feed.routeId());
        return status != null && status.feed() == feed ? status : null;
    }

    /** Every feed, by route id. */
    public List<FeedStatus> all() {
        return byRoute.values().stream().sorted(Comparator.comparing(s -> s.feed().routeId())).toList();
    }
}
