package io.wslistener.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

import io.wslistener.policy.InvalidSettingException;
import io.wslistener.support.Durations;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Spreads the feeds of a route template over the instances that run it, through the CamelContext's cluster service
 * ({@code CamelClusterService}: ZooKeeper, Kubernetes). Declared once as a bean and named in the template's
 * {@code routePolicy}; the feeds' own YAML does not change.
 * <p>
 * The feeds are grouped into {@link #setShards shards} by a hash of their id (a template parameter, {@link
 * #setIdParameter idParameter}), and each shard is one leadership of the cluster service, so the cost of leadership
 * grows with the shards, not the feeds. Every instance joins the group's member view; from the live members it
 * computes which instance should lead each shard ({@link ShardAssignment}: rendezvous hashing, within a bound), joins
 * the elections of the shards it should lead, and hands a shard over (its feeds stopped first, then the leadership
 * released) when the assignment moves it to an instance that waits for it. The leadership stays the safety: a feed's
 * route runs only where its shard's leadership is held. A feed's route is therefore not started by Camel at start-up
 * (its autoStartup is set to false) but by this policy.
 * <p>
 * With {@link #setSpread spread} false, every instance joins every shard's election: active/passive per shard, which
 * also works with a cluster service that lists no members (the file lock).
 */
public final class FeedSpreadPolicy extends RoutePolicySupport {

    public static final String DEFAULT_NAMESPACE = "feeds";
    public static final int DEFAULT_SHARDS = 64;
    public static final String DEFAULT_ID_PARAMETER = "feedId";
    public static final String DEFAULT_POLL_INTERVAL = "500ms";

    /**
     * Lower-case letters, digits and inner dashes: the namespace becomes part of a znode path and of a Kubernetes
     * Lease name, which allows no more.
     */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");

    private String namespace = DEFAULT_NAMESPACE;
    private int shards = DEFAULT_SHARDS;
    private String idParameter = DEFAULT_ID_PARAMETER;
    private boolean spread = true;
    private String pollInterval = DEFAULT_POLL_INTERVAL;

    /** Names the group in the cluster service: {@code <namespace>-members} and {@code <namespace>-shard-<n>}. */
    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** How many shards the feeds are grouped into: one leadership each. */
    public int getShards() {
        return shards;
    }

    public void setShards(int shards) {
        this.shards = shards;
    }

    /** The route template parameter that holds a feed's id. */
    public String getIdParameter() {
        return idParameter;
    }

    public void setIdParameter(String idParameter) {
        this.idParameter = idParameter;
    }

    /** True: the shards are spread over the members; false: every instance stands by for every shard. */
    public boolean isSpread() {
        return spread;
    }

    public void setSpread(boolean spread) {
        this.spread = spread;
    }

    /** How often an instance reads the members and checks its shards (changes reported by the service act at once). */
    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    Duration pollInterval() {
        return Durations.parse(pollInterval);
    }

    @Override
    public void onInit(Route route) {
        super.onInit(route);
        validate(route.getId());
        SpreadGroups.of(route.getCamelContext()).add(this, route);
        route.setAutoStartup(false);
    }

    @Override
    public void onRemove(Route route) {
        SpreadGroups.of(route.getCamelContext()).remove(route);
        super.onRemove(route);
    }

    /** Refuses options that cannot work, naming the route and the option. */
    void validate(String routeId) {
        if (shards < 1) {
            throw new InvalidSettingException(routeId, "shards", shards,
                    "1 or more (the shards of a FeedSpreadPolicy)");
        }
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new InvalidSettingException(routeId, "namespace", namespace,
                    "1 to 40 lower-case letters, digits and inner dashes (the FeedSpreadPolicy's name in the cluster"
                            + " service)");
        }
        if (idParameter == null || idParameter.isBlank()) {
            throw new InvalidSettingException(routeId, "idParameter", idParameter,
                    "the name of the route template parameter that holds the feed's id");
        }
        try {
            if (pollInterval().isZero()) {
                throw new InvalidSettingException(routeId, "pollInterval", pollInterval, "more than 0");
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof InvalidSettingException) {
                throw e;
            }
            throw new InvalidSettingException(routeId, "pollInterval", pollInterval, Durations.ALLOWED);
        }
    }
}
