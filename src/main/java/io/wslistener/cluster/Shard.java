package io.wslistener.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.cluster.CamelClusterView;

/**
 * One shard of a spread group on this instance: its feeds (route id to feed id) and what this instance holds of it.
 * <p>
 * One move at a time per shard ({@link #tryBusy()}): the group's loop decides, a move thread carries the move out and
 * writes the state, which the loop and the observers read.
 */
final class Shard {

    private final int id;
    private final String viewNamespace;
    private final Map<String, String> feedIdByRoute = new ConcurrentSkipListMap<>();
    private final AtomicBoolean busy = new AtomicBoolean();

    private volatile CamelClusterView view;
    private volatile long joinedAtNanos;
    private volatile boolean routesUp;
    /** The last other member seen leading the shard while this instance waited in its election. */
    private volatile String lastLeaderSeen;
    /** The member the assignment gave the shard to before it gave it to this instance. */
    private volatile String previousOwner;

    Shard(int id, String groupNamespace) {
        this.id = id;
        this.viewNamespace = groupNamespace + "-shard-" + id;
    }

    int id() {
        return id;
    }

    /** The shard's namespace in the cluster service: its election (a znode, a Lease). */
    String viewNamespace() {
        return viewNamespace;
    }

    void addFeed(String routeId, String feedId) {
        feedIdByRoute.put(routeId, feedId);
    }

    void removeFeed(String routeId) {
        feedIdByRoute.remove(routeId);
    }

    int feeds() {
        return feedIdByRoute.size();
    }

    List<String> routeIds() {
        return List.copyOf(feedIdByRoute.keySet());
    }

    List<String> feedIds() {
        return feedIdByRoute.values().stream().sorted().toList();
    }

    boolean tryBusy() {
        return busy.compareAndSet(false, true);
    }

    void done() {
        busy.set(false);
    }

    CamelClusterView view() {
        return view;
    }

    boolean joined() {
        return view != null;
    }

    void joined(CamelClusterView view) {
        this.view = view;
        this.joinedAtNanos = System.nanoTime();
        this.lastLeaderSeen = null;
    }

    void left() {
        this.view = null;
    }

    long joinedAtNanos() {
        return joinedAtNanos;
    }

    /** This instance holds the shard's leadership (a local flag of the cluster service: no round trip). */
    boolean leader() {
        CamelClusterView v = view;
        return v != null && v.getLocalMember().isLeader();
    }

    boolean routesUp() {
        return routesUp;
    }

    void routesUp(boolean up) {
        this.routesUp = up;
    }

    String lastLeaderSeen() {
        return lastLeaderSeen;
    }

    void lastLeaderSeen(String member) {
        this.lastLeaderSeen = member;
    }

    String previousOwner() {
        return previousOwner;
    }

    void previousOwner(String member) {
        this.previousOwner = member;
    }
}
