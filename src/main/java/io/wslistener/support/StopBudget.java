package io.wslistener.support;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * What a feed's stop keeps back before its own deadline to write what the route has not taken to the undelivered
     * file instead (at most; a quarter of a shorter budget). A local append takes a fraction of it even for tens of
     * thousands of messages, where a slow sink would need many seconds; but what the server sent before the close frame
     * has to be read first, and megabyte messages or a busy machine read slowly.
     */
    static final Duration SPILL_RESERVE = Duration.ofMillis(1500);

    /**
     * How far past {@code shutdownTimeout} the exit may wait for what is still being written to the undelivered file (or
     * a sink's dead letter): the budget's last second, less what the JVM needs to exit after it.
     */
    static final long EXIT_GRACE_MILLIS = 850;

    private static final Object LOCK = new Object();

    private final CamelContext camelContext;
    private final List<Runnable> whenStopping = new CopyOnWriteArrayList<>();
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
        // every feed sends its close frame now, not when Camel's shutdown reaches its route: the routes are stopped one
        // after another, and the servers of the last ones would go on sending meanwhile
        whenStopping.forEach(Runnable::run);
    }

    /**
     * Runs {@code action} (quick, never blocking) the moment the context begins to stop.
     *
     * @return undoes the registration
     */
    public Runnable whenStopping(Runnable action) {
        whenStopping.add(action);
        return () -> whenStopping.remove(action);
    }

    /** {@link #SPILL_RESERVE}, or a quarter of a shorter budget. */
    public static Duration spillReserve(Duration budget) {
        Duration quarter = budget.dividedBy(4);
        return quarter.compareTo(SPILL_RESERVE) < 0 ? quarter : SPILL_RESERVE;
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

    /**
     * The budget of a feed's stop: {@code drainTimeout}, capped by Camel's {@code shutdownTimeout}, counted from the
     * moment the context began to stop (or, for a route stop, from now: Camel interrupts a route stop at that timeout
     * too). A feed may read on past the sinks' give-up point, by three quarters of their reserve (at most
     * {@link #SPILL_RESERVE}, so that its spill begins where the sinks give up): from that point the sinks take nothing
     * more and what the feed still reads goes to its undelivered file, while the server's close reply, queued behind
     * everything the server sent before it, still has a chance to arrive. Everything then ends before
     * {@code shutdownTimeout}.
     */
    public Duration forFeedStop(Duration drainTimeout) {
        long budget = timeoutMillis();
        long usable = usableMillis();
        long capMillis = usable + Math.min(SPILL_RESERVE.toMillis(), (budget - usable) * 3 / 4);
        long capNanos = TimeUnit.MILLISECONDS.toNanos(capMillis)
                - (stopping ? System.nanoTime() - stopStartedNanos : 0);
        return drainTimeout.toNanos() <= capNanos ? drainTimeout : Duration.ofNanos(Math.max(0, capNanos));
    }

    /**
     * How long the exit may still wait for writes of the undelivered file: until {@code shutdownTimeout} plus
     * {@value #EXIT_GRACE_MILLIS} ms since the context began to stop; nothing when it is not stopping.
     */
    public long untilExitNanos() {
        if (!stopping) {
            return 0;
        }
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis() + EXIT_GRACE_MILLIS)
                - (System.nanoTime() - stopStartedNanos);
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
        return TimeUnit.MILLISECONDS.toNanos(usableMillis()) - (System.nanoTime() - stopStartedNanos);
    }

    /** Camel's shutdownTimeout less the sinks' reserve. */
    private long usableMillis() {
        long budget = timeoutMillis();
        return Math.max(budget / 2, budget - RESERVE_MILLIS);
    }

    private long timeoutMillis() {
        return TimeUnit.MILLISECONDS.convert(camelContext.getShutdownStrategy().getTimeout(),
                camelContext.getShutdownStrategy().getTimeUnit());
    }
}
