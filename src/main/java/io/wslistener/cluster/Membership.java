package io.wslistener.cluster;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members of a spread group: every instance joins one view of the cluster service, {@code <namespace>-members},
 * and its members are the instances alive now. With ZooKeeper a member is an ephemeral node of the member's session,
 * gone when the member stops or its session expires; with Kubernetes the members are the pods with the cluster labels.
 * <p>
 * This instance always counts itself, also before the view lists it: an instance alone, or with a cluster service
 * whose views list nobody, then leads every shard, which is the active/passive behaviour of a leadership per shard.
 */
final class Membership {

    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    /** What the group knows of its members at one moment. */
    record Members(SortedSet<String> ids, boolean listed, boolean duplicateLocalId, boolean readable) {

        static Members alone(String localId) {
            return new Members(Collections.unmodifiableSortedSet(new TreeSet<>(List.of(localId))), false, false,
                    false);
        }

        Members unreadable() {
            return new Members(ids, listed, duplicateLocalId, false);
        }
    }

    private final CamelClusterService service;
    private final String namespace;
    private final Duration grace;
    private final CamelClusterEventListener listener;
    private CamelClusterView view;
    private long joinedAtNanos;
    private Members last;
    private boolean listedOnce;
    private boolean warnedNoMembers;

    /**
     * @param grace    how long the view may take to list this instance after it joined before it joins again
     * @param listener told of membership changes where the cluster service reports them (Kubernetes does)
     */
    Membership(CamelClusterService service, String groupNamespace, Duration grace,
               CamelClusterEventListener listener) {
        this.service = service;
        this.namespace = groupNamespace + "-members";
        this.grace = grace;
        this.listener = listener;
    }

    String namespace() {
        return namespace;
    }

    void join() throws Exception {
        view = service.getView(namespace);
        view.addEventListener(listener);
        joinedAtNanos = System.nanoTime();
        last = Members.alone(localId());
    }

    void leave() throws Exception {
        CamelClusterView v = view;
        if (v != null) {
            view = null;
            v.removeEventListener(listener);
            service.releaseView(v);
        }
    }

    String localId() {
        return view.getLocalMember().getId();
    }

    /**
     * The members now (a round trip to the cluster service), or the last ones known, marked unreadable, when the
     * service cannot answer. Joins again when the view has stopped listing this instance for longer than the grace.
     */
    Members read() throws Exception {
        String local = localId();
        List<String> ids;
        try {
            ids = view.getMembers().stream().map(CamelClusterMember::getId)
                    .filter(id -> id != null && !id.isEmpty()).toList();
        } catch (RuntimeException e) {
            LOG.debug("Members of {} not readable now: {}", namespace, e.getMessage());
            return last.unreadable();
        }
        boolean listed = ids.contains(local);
        listedOnce |= listed;
        if (!listed && System.nanoTime() - joinedAtNanos > grace.toNanos()) {
            if (listedOnce || !ids.isEmpty()) {
                // the service dropped this instance (its session ended while the connection was down): back in
                LOG.warn("{}: this instance ({}) is not among the members the cluster service lists ({});"
                        + " joining again", namespace, local, ids.isEmpty() ? "none" : String.join(", ", ids));
                leave();
                join();
            } else if (!warnedNoMembers) {
                LOG.warn("{}: the cluster service lists no members, not even this instance ({}): each instance"
                        + " counts only itself, so every instance stands by for every shard (active/passive)"
                        + " instead of spreading the feeds", namespace, local);
                warnedNoMembers = true;
            }
        }
        TreeSet<String> live = new TreeSet<>(ids);
        live.add(local);
        last = new Members(Collections.unmodifiableSortedSet(live), listed,
                Collections.frequency(ids, local) > 1, true);
        return last;
    }
}
