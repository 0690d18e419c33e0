package io.wslistener.metrics;

import io.wslistener.spi.FeedObserver;
import io.wslistener.spi.FeedStatuses;
import io.wslistener.support.OptionalDependencies;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ContextServicePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches ws-listener's observability to every CamelContext that has this jar, with no code or configuration in the
 * host: discovered by Camel through {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin} and run while
 * the context is built, before any route starts. It binds {@link FeedObserver} beans, which every ws-listener
 * consumer tells about its feed:
 * <ul>
 * <li>the periodic summary line, always (switched off with {@code wslistener.summary.interval=0});</li>
 * <li>the feeds' status for the dev console ({@link FeedDevConsole}, with camel-console) and JMX, always;</li>
 * <li>the meters, when camel-micrometer is on the classpath; they are created only if a MeterRegistry is bound when
 * the feed starts ({@code camel.metrics.enabled=true} in camel-main);</li>
 * <li>the health checks, when camel-health is on the classpath, registered in the HealthCheckRegistry.</li>
 * </ul>
 * Each of them lets go of what it keeps for a route when Camel removes the route (they are lifecycle strategies of the
 * context), so routes that come and go (route templates, reloads) leave nothing behind.
 * <p>
 * The optional libraries are probed before any class using them is loaded, so a host without them gets no error.
 */
public final class WsListenerObservabilityPlugin implements ContextServicePlugin {

    static final String SUMMARY_BEAN = "wsListenerFeedSummary";
    static final String METERS_BEAN = "wsListenerFeedMeters";
    static final String HEALTH_BEAN = "wsListenerFeedHealth";

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerObservabilityPlugin.class);

    @Override
    public void load(CamelContext camelContext) {
        var registry = camelContext.getRegistry();
        registry.bind(SUMMARY_BEAN, FeedObserver.class, new FeedSummaryLogger(camelContext));
        // what the dev console and the consumer's JMX attributes read
        FeedStatuses statuses = new FeedStatuses();
        registry.bind(FeedStatuses.BEAN, FeedObserver.class, statuses);
        // each keeps something per route, and lets go of it when Camel removes the route
        camelContext.addLifecycleStrategy(statuses);
        if (OptionalDependencies.micrometer(camelContext)) {
            registry.bind(METERS_BEAN, FeedObserver.class, Micrometer.feedMeters(camelContext));
        }
        if (OptionalDependencies.health(camelContext)) {
            FeedObserver checks = Health.register(camelContext);
            registry.bind(HEALTH_BEAN, FeedObserver.class, checks);
        }
        try {
            camelContext.addStartupListener(new RouteEventsOnlyNotifiers());
        } catch (Exception e) {
            throw org.apache.camel.RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        LOG.debug("ws-listener observability attached to CamelContext {}", camelContext.getName());
    }

    /** Keeps Micrometer types out of the plugin's own signature, so loading the plugin never loads them. */
    private static final class Micrometer {

        static FeedObserver feedMeters(CamelContext camelContext) {
            FeedMeters meters = new FeedMeters(camelContext);
            camelContext.addLifecycleStrategy(meters);
            return meters;
        }
    }

    /** Keeps camel-health types out of the plugin's own signature, so loading the plugin never loads them. */
    private static final class Health {

        static FeedObserver register(CamelContext camelContext) {
            FeedHealthChecks checks = new FeedHealthChecks(camelContext);
            HealthCheckRegistry.get(camelContext).register(checks);
            camelContext.addLifecycleStrategy(checks);
            return checks;
        }
    }
}
