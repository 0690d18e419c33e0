package io.wslistener.support;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ShutdownRoute;
import org.apache.camel.spi.LifecycleStrategy;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * One deadline for the whole stop of a CamelContext, shared by the ws-listener consumers and the sinks: Camel's own
 * {@code shutdownTimeout} ({@code camel.main.shutdownTimeout}), counted from the moment the context begins to stop.
 * <p>
 * Without it each part waited on its own clock (Camel's 30 s, the consumer's drainTimeout, the HTTP sink's drain), so a
 * stop could take two minutes and be cut by the orchestrator's SIGKILL with messages still in memory. With it every
 * wait is capped by what is left, and the sinks give up {@link #RESERVE} before the deadline: what they still hold goes
 * to the dead letter while there is time, and Camel never has to force the stop (a forced stop rejects the exchanges
 * still on their way with {@code RejectedExecutionException}).
 * <p>
 * A route stopped on its own (not the context) starts no budget: the sinks then go on holding and retrying, since
 * their route still runs.
 * <p>
 * It also makes a feed's sinks outlive the feed: the route a sink kamelet creates ({@code from: kamelet:source}) is
 * marked {@link ShutdownRoute#Defer}. Camel then stops it only after every other route's in-flight and pending
 * exchanges are done (the ws-listener consumer reports what it still holds as pending), whatever order the routes
 * stop in. Without it Camel suspended the kamelet's consumer at the start of the stop, and a feed still draining
 * waited 30 s in {@code KameletProducer} for a consumer that never came back, then lost the message
 * ({@code KameletConsumerNotAvailableException}).
 */
public final class StopBudget extends LifecycleStrategySupport {

    /** What the sinks keep back before the deadline to dead-letter what they hold and close their files. */
    static final long RESERVE_MILLIS = 2000;

    private static final Object LOCK = new Object();

    private final CamelContext camelContext;
    private volatile long stopStartedNanos;
    private volatile boolean stopping;

    private StopBudget(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The context's budget, installed on first use. */
    public static StopBudget of(CamelContext camelContext) {
        synchronized (LOCK) {
            for (LifecycleStrategy strategy : camelContext.getLifecycleStrategies()) {
                if (strategy instanceof StopBudget budget) {
                    return budget;
                }
            }
            StopBudget budget = new StopBudget(camelContext);
            camelContext.addLifecycleStrategy(budget);
            budget.onRoutesAdd(camelContext.getRoutes());
            return budget;
        }
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (isSinkKameletRoute(route)) {
                route.setShutdownRoute(ShutdownRoute.Defer);
            }
        }
    }

    /** A route a kamelet created from its {@code kamelet:source}: a sink the routes that use the kamelet send to. */
    static boolean isSinkKameletRoute(Route route) {
        String uri = route.getEndpoint() == null ? null : route.getEndpoint().getEndpointUri();
        return route.isCreatedByKamelet() && uri != null
                && (uri.startsWith("kamelet://source") || uri.startsWith("kamelet:source"));
    }

    @Override
    public void onContextStopping(CamelContext context) {
        stopStartedNanos = System.nanoTime();
        stopping = true;
    }

    @Override
    public void onContextStarting(CamelContext context) {
        stopping = false;
    }

    /** True once the context has begun to stop. */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * How long a part of the stop may still wait: {@code wanted}, capped by what is left of the budget until the sinks'
     * give-up point. {@code wanted} as it is when the context is not stopping (a route stop).
     */
    public Duration cap(Duration wanted) {
        if (!stopping) {
            return wanted;
        }
        long left = Math.max(0, giveUpInNanos());
        return wanted.toNanos() <= left ? wanted : Duration.ofNanos(left);
    }

    /** True when the context is stopping and the sinks must give up retrying now. */
    public boolean expired() {
        return stopping && giveUpInNanos() <= 0;
    }

    /** Nanoseconds until the sinks give up; {@code Long.MAX_VALUE} while the context is not stopping. */
    public long giveUpInNanos() {
        if (!stopping) {
            return Long.MAX_VALUE;
        }
        long budget = TimeUnit.MILLISECONDS.convert(camelContext.getShutdownStrategy().getTimeout(),
                camelContext.getShutdownStrategy().getTimeUnit());
        long usable = Math.max(budget / 2, budget - RESERVE_MILLIS);
        return TimeUnit.MILLISECONDS.toNanos(usable) - (System.nanoTime() - stopStartedNanos);
    }
}
