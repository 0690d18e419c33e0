package io.wslistener.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wslistener.cluster.Membership.Members;
import io.wslistener.policy.InvalidSettingException;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feeds of one {@link FeedSpreadPolicy} namespace on this instance, grouped into shards, and the loop that keeps
 * what this instance holds in line with the assignment: every poll interval, and at once when a view of the cluster
 * service reports a change, it reads the live members, computes the {@link ShardAssignment} and takes each shard one
 * {@link ShardMove} further. Moves run on a few move threads, one at a time per shard, so that a slow drain of one
 * shard holds up no other and the loop itself never waits.
 * <p>
 * Threads: the loop, up to 4 move threads that end when idle, and what the cluster service
 * spends per view it joins (with ZooKeeper one Curator thread per view: the member view and at most one per shard).
 */
final class SpreadGroup extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(SpreadGroup.class);

    private final CamelContext context;
    private final FeedSpreadPolicy policy;
    private final String namespace;
    private final boolean spread;
    private final Duration pollInterval;
    private final CamelClusterService service;
    private final Shard[] shards;
    private final Map<String, Shard> shardByRoute = new ConcurrentHashMap<>();
    private final Map<String, String> routeByFeedId = new ConcurrentHashMap<>();
    private final Membership membership;
    private final ShardMoves moves;
    private final ShardElections elections;
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService loop;
    private ScheduledExecutorService guard;
    private MoveThreads moveThreads;
    private volatile boolean begun;
    private volatile boolean quiescing;
    private volatile String localId;
    private volatile Members members;
    private volatile ShardAssignment assignment;

    SpreadGroup(CamelContext context, FeedSpreadPolicy policy, CamelClusterService service) {
        this.context = context;
        this.policy = policy;
        this.namespace = policy.getNamespace();
        this.spread = policy.isSpread();
        this.pollInterval = policy.pollInterval();
        this.service = service;
        this.shards = new Shard[policy.getShards()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new Shard(i, namespace);
        }
        Listener listener = new Listener();
        this.membership = new Membership(service, namespace, pollInterval.multipliedBy(4).plusSeconds(2), listener);
        this.moves = new ShardMoves(this, context.getRouteController(), listener);
        this.elections = new ShardElections(this::localId, pollInterval.multipliedBy(4).plusSeconds(2));
    }

    FeedSpreadPolicy policy() {
        return policy;
    }

    String namespace() {
        return namespace;
    }

    CamelClusterService service() {
        return service;
    }

    boolean spread() {
        return spread;
    }

    ShardMoves moves() {
        return moves;
    }

    /** Adds a feed; refuses a feed id that another route of the group already has. */
    synchronized void add(String routeId, String feedId) {
        String other = routeByFeedId.putIfAbsent(feedId, routeId);
        if (other != null && !other.equals(routeId)) {
            throw new InvalidSettingException(routeId, "idParameter",
                    "the feed id '" + feedId + "' (template parameter " + policy.getIdParameter()
                            + ") is also the id of route '" + other + "' in namespace " + namespace
                            + "; every feed of a namespace needs an id of its own");
        }
        Shard shard = shards[ShardAssignment.shardOf(feedId, shards.length)];
        shard.addFeed(routeId, feedId);
        shardByRoute.put(routeId, shard);
        requestReconcile();
    }

    synchronized void remove(String routeId) {
        Shard shard = shardByRoute.remove(routeId);
        if (shard != null) {
            routeByFeedId.values().remove(routeId);
            shard.removeFeed(routeId);
        }
    }

    boolean hasRoute(String routeId) {
        return shardByRoute.containsKey(routeId);
    }

    /** Starts taking part: joins the member view and starts the loop. Called once the CamelContext has started. */
    synchronized void begin() throws Exception {
        if (begun || quiescing) {
            return;
        }
        begun = true;
        if (spread) {
            membership.join();
            localId = membership.localId();
        } else {
            localId = service.getId();
        }
        members = Members.alone(localId);
        var executors = context.getExecutorServiceManager();
        loop = executors.newSingleThreadScheduledExecutor(this, "WsListenerSpread-" + namespace);
        guard = executors.newSingleThreadScheduledExecutor(this, "WsListenerSpreadGuard-" + namespace);
        moveThreads = new MoveThreads(context, this, namespace, moves, this::requestReconcile);

        LOG.info("{}: {} feeds in {} shards, {}; this instance is {}", namespace, shardByRoute.size(),
                shards.length, spread ? "spread over the members of " + membership.namespace()
                        : "not spread (every instance stands by for every shard)",
                localId);
        ClusterObservability.bindMeters(context, this);
        loop.scheduleWithFixedDelay(this::reconcile, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        guard.scheduleWithFixedDelay(this::guard, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Runs when the group stops (the meters remove themselves). */
    void onStop(Runnable task) {
        onStop.add(task);
    }

    /**
     * The CamelContext is stopping: no more moves. Waits (within the budget) for moves under way, so that the
     * context's own stop of the routes does not meet one half done.
     */
    void quiesce(Duration budget) {
        quiescing = true;
        ScheduledExecutorService l = loop;
        ScheduledExecutorService g = guard;
        MoveThreads m = moveThreads;
        if (l != null) {
            l.shutdownNow();
        }
        if (g != null) {
            g.shutdownNow();
        }
        if (m != null) {
            m.quiesce(budget);
        }
    }

    @Override
    protected void doStop() throws Exception {
        quiesce(Duration.ZERO);
        List<CamelClusterView> left = new ArrayList<>();
        for (Shard shard : shards) {
            if (shard.joined()) {
                left.add(shard.view());
                moves.leaveOnStop(shard);
            }
        }
        elections.awaitGone(left, Duration.ofSeconds(2));
        if (spread) {
            membership.leave();
        }
        if (loop != null) {
            context.getExecutorServiceManager().shutdown(loop);
            context.getExecutorServiceManager().shutdown(guard);
        }
        if (moveThreads != null) {
            moveThreads.shutdown();
        }
        onStop.forEach(Runnable::run);
    }

    void requestReconcile() {
        ScheduledExecutorService l = loop;
        if (l != null && !quiescing && reconcileQueued.compareAndSet(false, true)) {
            try {
                l.execute(this::reconcile);
            } catch (RejectedExecutionException stopping) {
                reconcileQueued.set(false);
            }
        }
    }

    private void reconcile() {
        reconcileQueued.set(false);
        if (quiescing || !isRunAllowed()) {
            return;
        }
        try {
            Members now = spread ? membership.read() : members;
            int[] sizes = feedsPerShard();
            ShardAssignment next = spread ? ShardAssignment.of(sizes, now.ids()) : null;
            Members before = members;
            ShardAssignment previous = assignment;
            members = now;
            assignment = next;
            if (spread && !now.ids().equals(before.ids())) {
                logMembers(before, now, next, sizes);
            }
            if (previous != null && next != null) {
                for (Shard shard : shards) {
                    String was = previous.owner(shard.id());
                    if (!Objects.equals(was, next.owner(shard.id()))) {
                        shard.previousOwner(was);
                    }
                }
            }
            Map<Shard, ShardMove> decided = new HashMap<>();
            for (Shard shard : shards) {
                ShardMove move = decide(shard, true);
                if (move != ShardMove.NONE) {
                    decided.put(shard, move);
                }
            }
            moveThreads.submitAll(decided);
        } catch (Exception e) {
            LOG.warn("{}: could not bring the shards in line with the assignment now: {}", namespace,
                    e.toString());
        }
    }

    /**
     * Stops the feeds of every shard whose leadership is gone, without a round trip to the cluster service. The loop
     * reads the members, and that read can wait for the cluster service for as long as the service retries (with
     * ZooKeeper, up to the connection timeout times its retries) while the connection is down: this check runs on a
     * thread of its own so that a lost leadership stops the feeds within a poll interval all the same.
     */
    private void guard() {
        if (quiescing || !isRunAllowed()) {
            return;
        }
        for (Shard shard : shards) {
            if (shard.routesUp() && !shard.leader()) {
                ShardMove move = decide(shard, false);
                if (move != ShardMove.NONE) {
                    moveThreads.submit(shard, move);
                }
            }
        }
    }

    /**
     * The shard's next move, with the shard marked busy when there is one (NONE leaves it free).
     *
     * @param loop called by the loop, which may ask the cluster service (the guard may not)
     */
    private ShardMove decide(Shard shard, boolean loop) {
        if ((shard.feeds() == 0 && !shard.joined()) || !shard.tryBusy()) {
            return ShardMove.NONE;
        }
        ShardMove move;
        try {
            // the guard asks nothing: no hand-over, no rejoin from there
            move = ShardMove.next(shard.joined(), shard.leader(), shard.routesUp(), assignedHere(shard),
                    () -> loop && elections.waiting(shard, owner(shard)), () -> !loop || elections.inElection(shard),
                    context.isStarted() && !quiescing);
            if (loop && move == ShardMove.NONE && shard.joined() && !shard.leader()) {
                elections.noteLeader(shard);
            }
        } catch (RuntimeException e) {
            shard.done();
            throw e;
        }
        if (move == ShardMove.NONE) {
            shard.done();
        }
        return move;
    }

    /** The assignment gives this shard to this instance (always, when the feeds are not spread). */
    boolean assignedHere(Shard shard) {
        if (!spread) {
            return shard.feeds() > 0;
        }
        String owner = owner(shard);
        return owner != null && owner.equals(localId());
    }

    String owner(Shard shard) {
        ShardAssignment a = assignment;
        return a == null ? null : a.owner(shard.id());
    }

    /** This instance's member id: the id of the cluster service, which every instance needs its own of. */
    String localId() {
        return localId;
    }

    Members members() {
        return members;
    }

    ShardAssignment assignment() {
        return assignment;
    }

    Shard[] shards() {
        return shards;
    }

    int feeds() {
        return shardByRoute.size();
    }

    int[] feedsPerShard() {
        int[] sizes = new int[shards.length];
        for (Shard shard : shards) {
            sizes[shard.id()] = shard.feeds();
        }
        return sizes;
    }

    private void logMembers(Members before, Members now, ShardAssignment next, int[] sizes) {
        List<String> joined = new ArrayList<>(now.ids());
        joined.removeAll(before.ids());
        List<String> left = new ArrayList<>(before.ids());
        left.removeAll(now.ids());
        String me = localId();
        LOG.info("{}: {} member{} ({}){}{}; this instance ({}) is to lead {} feeds (at most {} per member)",
                namespace, now.ids().size(), now.ids().size() == 1 ? "" : "s", String.join(", ", now.ids()),
                joined.isEmpty() ? "" : ", joined: " + String.join(", ", joined),
                left.isEmpty() ? "" : ", left: " + String.join(", ", left), me,
                next.feedsPerMember(sizes).getOrDefault(me, 0), next.bound());
        if (now.duplicateLocalId()) {
            LOG.error("{}: another instance has this instance's member id ({}): give every instance an id of its"
                    + " own (the id of the cluster service)", namespace, me);
        }
    }

    /** Told by the views of the cluster service: a leadership or the members changed. */
    private final class Listener
            implements
                CamelClusterEventListener.Leadership,
                CamelClusterEventListener.Membership {

        @Override
        public void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
            requestReconcile();
        }

        @Override
        public void memberAdded(CamelClusterView view, CamelClusterMember member) {
            requestReconcile();
        }

        @Override
        public void memberRemoved(CamelClusterView view, CamelClusterMember member) {
            requestReconcile();
        }
    }
}
