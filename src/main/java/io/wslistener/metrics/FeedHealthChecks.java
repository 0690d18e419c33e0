package io.wslistener.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.wslistener.connection.ConnectionState;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.RemovedRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

/**
 * The health-check repository of ws-listener: one {@link FeedHealthCheck} per running feed, registered in the
 * context's HealthCheckRegistry, so that camel-main's {@code /observe/health} (and {@code /live}, {@code /ready})
 * report them next to Camel's own route and consumer checks.
 * <p>
 * A feed stopped on purpose leaves no check behind. A feed whose loop gave up keeps its check, so liveness goes on
 * reporting DOWN for the route the loop stopped, until that route starts again or is removed (a lifecycle strategy of
 * the context, it hears of removed routes).
 */
final class FeedHealthChecks extends RemovedRoutes implements HealthCheckRepository, FeedObserver {

    static final String ID = "wslistener";

    private final CamelContext camelContext;
    private final Map<String, FeedHealthCheck> byRoute = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    FeedHealthChecks(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return enabled ? byRoute.values().stream().map(HealthCheck.class::cast) : Stream.empty();
    }

    @Override
    public void feedStarted(Feed feed) {
        byRoute.put(feed.routeId(), new FeedHealthCheck(camelContext, feed));
    }

    @Override
    public void feedStopped(Feed feed) {
        if (feed.loop().state() != ConnectionState.FAILED) {
            // only the check of this very feed: a newer start of the route may have replaced it already
            byRoute.computeIfPresent(feed.routeId(), (id, check) -> check.feed() == feed ? null : check);
        }
    }

    @Override
    protected void removed(Route route) {
        byRoute.remove(route.getRouteId());
    }
}
