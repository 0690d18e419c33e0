package io.wslistener.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.RemovedRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Gives every feed its meters in the Camel MeterRegistry when there is one. Loaded only when camel-micrometer is on
 * the classpath.
 * <p>
 * A feed that stops on purpose takes its meters with it, so a restarted route starts a fresh set instead of leaving
 * gauges behind that hold on to the old loop. A feed whose loop gave up keeps them, frozen: the state gauge then goes
 * on saying 4 (failed) for the stopped route, which is what an alert should see; the route's next start replaces them,
 * and its removal (heard as a lifecycle strategy of the context) takes them away.
 */
final class FeedMeters extends RemovedRoutes implements FeedObserver {

    private final CamelContext camelContext;
    private final Map<String, FeedMeterSet> byRoute = new ConcurrentHashMap<>();

    FeedMeters(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void feedStarted(Feed feed) {
        // looked up per feed, not once: camel-main binds the registry after context plugins are loaded
        MeterRegistry registry = MeterRegistryLookup.find(camelContext);
        if (registry == null) {
            return;
        }
        // meters left by a failed run of the same route hold the ids: free them first
        removeMeters(feed.routeId());
        FeedMeterSet meters = Prometheus.isRegistry(registry) ? Prometheus.series(registry, feed) : null;
        if (meters == null) {
            meters = new ConnectionMeters(registry, feed);
        }
        byRoute.put(feed.routeId(), meters);
        feed.loop().addListener((ConnectionListener) meters);
    }

    @Override
    public void feedStopped(Feed feed) {
        if (feed.loop().state() == ConnectionState.FAILED) {
            return;
        }
        // only the meters of this very feed: a newer start of the route may have replaced them already
        byRoute.computeIfPresent(feed.routeId(), (id, meters) -> {
            if (meters.feed() != feed) {
                return meters;
            }
            meters.remove();
            return null;
        });
    }

    @Override
    protected void removed(Route route) {
        removeMeters(route.getRouteId());
    }

    private void removeMeters(String routeId) {
        FeedMeterSet meters = byRoute.remove(routeId);
        if (meters != null) {
            meters.remove();
        }
    }

    /**
     * A Prometheus registry (camel-main's) gets the feeds' series from one collector ({@link PrometheusFeedSeries}),
     * any other registry Micrometer meters. Prometheus types are only touched here, after the registry's class said
     * it is one: micrometer-registry-prometheus is optional.
     */
    private static final class Prometheus {

        private static final String REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

        static boolean isRegistry(MeterRegistry registry) {
            for (Class<?> type = registry.getClass(); type != null; type = type.getSuperclass()) {
                if (type.getName().equals(REGISTRY)) {
                    return true;
                }
            }
            return false;
        }

        static FeedMeterSet series(MeterRegistry registry, Feed feed) {
            return PrometheusFeedSeries.add((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) registry, feed);
        }
    }
}
