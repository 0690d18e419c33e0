package io.wslistener.source;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.wslistener.policy.InvalidSettingException;
import io.wslistener.support.RemovedRoutes;
import io.wslistener.support.StopBudget;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.LifecycleStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one delivery thread pool of a CamelContext, shared by all its ws-listener consumers, started and stopped with
 * the context (after the routes, so every consumer has drained first).
 * <p>
 * A feed holds a thread only while it has messages to hand over ({@link OrderedHandoff} drains serially), so the pool
 * needs about as many threads as feeds are busy at the same moment, and has at most
 * {@code wslistener.delivery.maxThreads} ({@link DeliveryThreads}): a sink that stalls every feed at once no longer
 * holds a thread per feed. A pool per route kept an idle thread per feed for a minute after each message: 1,000 feeds
 * at one message a second held 1,000 threads.
 * <p>
 * It also keeps each route's latest hand-off, so that a route's next start follows a drain that is still at work; a
 * route that Camel removes (heard as a lifecycle strategy of the context) is forgotten once its hand-off is idle.
 */
final class DeliveryPool extends ServiceSupport {

    static final String MAX_THREADS_PROPERTY = WsListenerProperty.DELIVERY_MAX_THREADS.key();
    private static final Object LOCK = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPool.class);

    private final CamelContext camelContext;
    private final int maxThreads;
    private final Map<String, OrderedHandoff<?>> handoffs = new ConcurrentHashMap<>();
    private final LifecycleStrategy routeRemoval = new RemovedRoutes() {

        @Override
        protected void removed(Route route) {
            forget(route.getRouteId());
        }
    };
    private volatile DeliveryThreads threads;
    private Runnable forgetLift = () -> {
    };

    private DeliveryPool(CamelContext camelContext, int maxThreads) {
        this.camelContext = camelContext;
        this.maxThreads = maxThreads;
    }

    /**
     * The context's pool, created and added to the context's services by the first consumer that asks.
     *
     * @param routeId the route that asks, named when {@code wslistener.delivery.maxThreads} is refused
     */
    static DeliveryThreads of(CamelContext camelContext, String routeId) throws Exception {
        // consumers may start concurrently (a cluster policy starts routes on its own thread)
        synchronized (LOCK) {
            DeliveryPool pool = running(camelContext);
            if (pool == null) {
                pool = new DeliveryPool(camelContext, maxThreads(camelContext, routeId));
                camelContext.addService(pool, true, true);
                // found again by type in a map: hasService(Class) walks every service of the context, and with
                // thousands of routes (an endpoint each) that walk per consumer start made start-up quadratic
                camelContext.getCamelContextExtension().addContextPlugin(DeliveryPool.class, pool);
            }
            return pool.threads;
        }
    }

    private static int maxThreads(CamelContext camelContext, String routeId) {
        String raw = camelContext.getPropertiesComponent().resolveProperty(MAX_THREADS_PROPERTY)
                .filter(value -> !value.isBlank()).orElse(WsListenerProperty.DELIVERY_MAX_THREADS.defaultValue());
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSettingException(routeId, MAX_THREADS_PROPERTY, raw, "a whole number of 1 or more");
    }

    /**
     * Records the hand-off of a route's new start.
     *
     * @return the one of its previous start, whose drain may still be at work (a stop whose drainTimeout ran out), or
     *         null
     */
    static OrderedHandoff<?> handOver(CamelContext camelContext, String routeId, OrderedHandoff<?> next)
            throws Exception {
        synchronized (LOCK) {
            DeliveryPool pool = running(camelContext);
            return pool == null ? null : pool.handoffs.put(routeId, next);
        }
    }

    /**
     * Lets go of a removed route's hand-off once nothing is pending in it: a drain that ran out of time still finishes
     * first, and a route added again under the same id meanwhile (a reload) has replaced it and follows it.
     */
    private void forget(String routeId) {
        OrderedHandoff<?> handoff = handoffs.get(routeId);
        if (handoff != null) {
            handoff.whenIdle(() -> handoffs.remove(routeId, handoff));
        }
    }

    /** The pool of the context's current run, or null: a stopped context stopped its pool, a restart makes a new one. */
    private static DeliveryPool running(CamelContext camelContext) {
        DeliveryPool pool = camelContext.getCamelContextExtension().getContextPlugin(DeliveryPool.class);
        return pool != null && (pool.isStarting() || pool.isStarted()) ? pool : null;
    }

    @Override
    protected void doStart() throws Exception {
        DeliveryThreads started = DeliveryThreads.create(camelContext, this, maxThreads);
        threads = started;
        // the bound ends where the context's stop begins: each feed's drain then writes what its route has not taken to
        // the undelivered file, and one waiting behind threads stuck in a route would be cut off by the exit
        forgetLift = StopBudget.of(camelContext).whenStopping(started::lift);
        camelContext.addLifecycleStrategy(routeRemoval);
    }

    /**
     * Lets the delivery threads finish what they do, and waits for them until the exit deadline
     * ({@link StopBudget#untilExitNanos()}, within a second after {@code shutdownTimeout}): what a forced stop cut off
     * is still being written to the undelivered files, and the exit that follows (its threads are daemons) must not cut
     * those writes short. A thread stuck in a route for good does not hold the exit beyond that.
     */
    @Override
    protected void doStop() throws Exception {
        // as Camel's own components do with a lifecycle strategy of theirs (KameletComponent)
        camelContext.getLifecycleStrategies().remove(routeRemoval);
        forgetLift.run();
        DeliveryThreads stopping = threads;
        if (stopping != null) {
            threads = null;
            ExecutorService pool = stopping.executor();
            camelContext.getExecutorServiceManager().shutdown(pool);
            long wait = StopBudget.of(camelContext).untilExitNanos();
            if (wait > 0 && !pool.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
                LOG.warn("Delivery threads still busy at the stop's deadline (a route that does not return): what"
                        + " they hold is not written to the undelivered files");
            }
        }
    }
}
