package io.wslistener.cluster;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.spi.RouteController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link ShardMove} with the cluster service and the route controller, and logs every move of a shard
 * to or from this instance. A route stop is Camel's graceful one: the ws-listener consumer drains what it received and
 * closes its socket with 1000 before the stop returns, so a leadership is only ever released after the shard's sockets
 * are closed.
 */
final class ShardMoves {

    private static final Logger LOG = LoggerFactory.getLogger(ShardMoves.class);

    private final SpreadGroup group;
    private final RouteController routes;
    private final CamelClusterEventListener listener;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    ShardMoves(SpreadGroup group, RouteController routes, CamelClusterEventListener listener) {
        this.group = group;
        this.routes = routes;
        this.listener = listener;
    }

    /** Shards this instance has taken the lead of (and started the feeds of) since it started. */
    long taken() {
        return taken.get();
    }

    /** Shards this instance has handed over to their new owner since it started. */
    long released() {
        return released.get();
    }

    /** Shards whose leadership this instance lost (its feeds stopped then) since it started. */
    long lost() {
        return lost.get();
    }

    void perform(Shard shard, ShardMove move) throws Exception {
        switch (move) {
            case JOIN -> join(shard);
            case LEAVE -> leave(shard);
            case REJOIN -> {
                LOG.warn("{} shard {}: no longer in its election (the cluster service dropped this instance);"
                        + " joining again", group.namespace(), shard.id());
                leave(shard);
                join(shard);
            }
            case START_ROUTES -> startRoutes(shard);
            case STOP_ROUTES -> {
                long start = System.nanoTime();
                int stopped = stopRoutes(shard);
                lost.incrementAndGet();
                LOG.warn("{} shard {}: leadership lost; its {} feeds stopped in {} ms", group.namespace(), shard.id(),
                        stopped, millisSince(start));
            }
            case HAND_OVER -> handOver(shard);
            case NONE -> {
                // nothing to do
            }
        }
    }

    /** The CamelContext stops (its routes are stopped already): leaves the shard's election. */
    void leaveOnStop(Shard shard) throws Exception {
        boolean led = shard.leader();
        leave(shard);
        if (led) {
            LOG.info("{} shard {}: released (this instance is stopping)", group.namespace(), shard.id());
        }
    }

    private void join(Shard shard) throws Exception {
        CamelClusterView view = group.service().getView(shard.viewNamespace());
        view.addEventListener(listener);
        shard.joined(view);
        try {
            // who leads it now, for the line logged when this instance takes it
            view.getLeader().map(member -> member.getId())
                    .filter(id -> !id.isEmpty() && !id.equals(group.localId())).ifPresent(shard::lastLeaderSeen);
        } catch (RuntimeException e) {
            // not known now
        }
        LOG.debug("{} shard {}: joined its election", group.namespace(), shard.id());
    }

    private void leave(Shard shard) throws Exception {
        CamelClusterView view = shard.view();
        if (view != null) {
            shard.left();
            view.removeEventListener(listener);
            group.service().releaseView(view);
        }
    }

    private void startRoutes(Shard shard) throws Exception {
        String from = provenance(shard);
        int started = 0;
        shard.routesUp(true);
        for (String routeId : shard.routeIds()) {
            // asked again before every start: moves wait their turn (Camel starts and stops one route at a time in
            // a context), and a leadership lost meanwhile must not start a feed; what did start, the guard stops
            if (!shard.leader()) {
                LOG.warn("{} shard {}: leadership lost while its feeds started; {} started, the rest not",
                        group.namespace(), shard.id(), started);
                return;
            }
            ServiceStatus status = routes.getRouteStatus(routeId);
            if (status != null && status.isStartable()) {
                routes.startRoute(routeId);
                started++;
            }
        }
        taken.incrementAndGet();
        LOG.info("{} shard {}: {}; {} feeds started", group.namespace(), shard.id(), from, started);
    }

    private void handOver(Shard shard) throws Exception {
        String to = group.owner(shard);
        long start = System.nanoTime();
        int stopped = stopRoutes(shard);
        if (shard.routesUp()) {
            LOG.warn("{} shard {}: not all its feeds stopped; keeping its leadership for now", group.namespace(),
                    shard.id());
            return;
        }
        if (group.assignedHere(shard)) {
            LOG.info("{} shard {}: the assignment gave it back while its feeds stopped; keeping it",
                    group.namespace(), shard.id());
            return;
        }
        leave(shard);
        released.incrementAndGet();
        LOG.info("{} shard {}: released to instance {} (rebalance) after its {} feeds stopped in {} ms",
                group.namespace(), shard.id(), to, stopped, millisSince(start));
    }

    /** Stops the shard's running routes; the shard's routes count as up while any of them still runs. */
    private int stopRoutes(Shard shard) {
        int stopped = 0;
        boolean anyUp = false;
        for (String routeId : shard.routeIds()) {
            ServiceStatus status = routes.getRouteStatus(routeId);
            if (status != null && status.isStoppable()) {
                try {
                    routes.stopRoute(routeId);
                    stopped++;
                } catch (Exception e) {
                    LOG.warn("{} shard {}: route {} did not stop: {}", group.namespace(), shard.id(), routeId,
                            e.toString());
                }
                ServiceStatus after = routes.getRouteStatus(routeId);
                anyUp |= after != null && after.isStoppable();
            }
        }
        shard.routesUp(anyUp);
        return stopped;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private String provenance(Shard shard) {
        String before = shard.lastLeaderSeen() != null ? shard.lastLeaderSeen() : shard.previousOwner();
        if (before == null || before.equals(group.localId())) {
            return "taken";
        }
        if (group.spread() && group.members().ids().contains(before)) {
            return "handed over by instance " + before + " (rebalance)";
        }
        return "taken over from instance " + before + " after its leadership ended";
    }
}
