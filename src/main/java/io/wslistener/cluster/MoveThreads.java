package io.wslistener.cluster;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that carry out a group's moves (up to {@value #THREADS}, ending when idle), one move at a time per shard,
 * the urgent ones first: feeds to stop and shards to take go before hand-overs, and hand-overs wait while any urgent
 * move is decided or under way. Camel starts and stops one route at a time in a context, so the feeds of a member
 * that died would otherwise wait behind a rebalance of feeds that are running.
 */
final class MoveThreads {

    private static final Logger LOG = LoggerFactory.getLogger(MoveThreads.class);
    private static final int THREADS = 4;

    private final CamelContext context;
    private final String namespace;
    private final ShardMoves moves;
    private final Runnable afterMove;
    private final ExecutorService threads;
    private final AtomicInteger urgentUnderWay = new AtomicInteger();

    /** @param afterMove runs after every move (the group looks again at once) */
    MoveThreads(CamelContext context, Object owner, String namespace, ShardMoves moves, Runnable afterMove) {
        this.context = context;
        this.namespace = namespace;
        this.moves = moves;
        this.afterMove = afterMove;
        ThreadPoolProfile profile = new ThreadPoolProfile("WsListenerShardMoves");
        profile.setPoolSize(THREADS);
        profile.setMaxPoolSize(THREADS);
        // a queue of its own: Camel hands tasks over without one (and rejects the fifth) when it is 0 or less
        profile.setMaxQueueSize(Integer.MAX_VALUE);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        this.threads = context.getExecutorServiceManager().newThreadPool(owner, "WsListenerShardMoves-" + namespace,
                profile);
    }

    /** Submits the moves decided in one look at the shards, urgent first; holds hand-overs back as described. */
    void submitAll(Map<Shard, ShardMove> decided) {
        boolean urgent = urgentUnderWay.get() > 0 || decided.values().stream().anyMatch(ShardMove::urgent);
        decided.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.comparingInt(ShardMove::ordinal)))
                .forEach(entry -> {
                    if (entry.getValue() == ShardMove.HAND_OVER && urgent) {
                        entry.getKey().done();
                    } else {
                        submit(entry.getKey(), entry.getValue());
                    }
                });
    }

    /** Submits one move of a shard marked busy; the shard is free again once the move is over. */
    void submit(Shard shard, ShardMove move) {
        if (move.urgent()) {
            urgentUnderWay.incrementAndGet();
        }
        try {
            threads.execute(() -> {
                try {
                    moves.perform(shard, move);
                } catch (Exception e) {
                    LOG.warn("{} shard {}: {} failed: {}", namespace, shard.id(), move, e.toString());
                } finally {
                    over(shard, move);
                    afterMove.run();
                }
            });
        } catch (RejectedExecutionException stopping) {
            over(shard, move);
        }
    }

    /** No more moves; waits (within the budget) for those under way. */
    void quiesce(Duration budget) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: moves still under way after {}; stopping anyway", namespace, budget);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void shutdown() {
        context.getExecutorServiceManager().shutdown(threads);
    }

    private void over(Shard shard, ShardMove move) {
        if (move.urgent()) {
            urgentUnderWay.decrementAndGet();
        }
        shard.done();
    }
}
