package io.wslistener.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;

/**
 * What the cluster service says of the shards' elections this instance is in: who waits in one, who leads it, whether
 * this instance is still in it. Each question is a round trip to the service (with ZooKeeper, a read of the election's
 * nodes); an unreadable answer counts as "cannot tell", never as a reason to move.
 */
final class ShardElections {

    private final Supplier<String> localId;
    private final Duration grace;
    /** The service's views have listed a participant (ZooKeeper's do, the file lock's never). */
    private volatile boolean listsParticipants;

    /**
     * @param localId this instance's member id
     * @param grace   how long an election may take to list this instance after it joined
     */
    ShardElections(Supplier<String> localId, Duration grace) {
        this.localId = localId;
        this.grace = grace;
    }

    /** The owner waits in the shard's election, or the service lists no participants at all. */
    boolean waiting(Shard shard, String owner) {
        List<String> ids = participants(shard.view());
        return ids != null && (ids.contains(owner) || ids.isEmpty());
    }

    /** This instance is still in the shard's election, or it joined too recently to tell. */
    boolean inElection(Shard shard) {
        if (System.nanoTime() - shard.joinedAtNanos() < grace.toNanos()) {
            return true;
        }
        List<String> ids = participants(shard.view());
        // unreadable: the connection is down, and joining again would not help; nobody listed is normal for a
        // service whose views never list anyone, and means the election lost this instance for one that does
        return ids == null || ids.contains(localId.get()) || ids.isEmpty() && !listsParticipants;
    }

    /** Remembers who leads the shard now, for the line logged when this instance takes it. */
    void noteLeader(Shard shard) {
        try {
            shard.view().getLeader().map(CamelClusterMember::getId)
                    .filter(id -> !id.isEmpty() && !id.equals(localId.get())).ifPresent(shard::lastLeaderSeen);
        } catch (RuntimeException e) {
            // not readable now; the next poll asks again
        }
    }

    /**
     * Waits (within the budget) until this instance is out of the elections it left: a leadership ends on the cluster
     * service's own thread after the view is released, and the cluster service stops right after the group, so
     * without the wait the last releases would meet a closed client (with ZooKeeper, an error logged per shard and
     * the election nodes left to the session's end).
     */
    void awaitGone(List<CamelClusterView> views, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<CamelClusterView> remaining = new ArrayList<>(views);
        while (!remaining.isEmpty() && System.nanoTime() < deadline) {
            remaining.removeIf(view -> {
                List<String> ids = participants(view);
                return ids == null || !ids.contains(localId.get());
            });
            if (!remaining.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private List<String> participants(CamelClusterView view) {
        if (view == null) {
            return null;
        }
        try {
            List<String> ids = new ArrayList<>();
            for (CamelClusterMember member : view.getMembers()) {
                ids.add(member.getId());
            }
            listsParticipants |= !ids.isEmpty();
            return ids;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
