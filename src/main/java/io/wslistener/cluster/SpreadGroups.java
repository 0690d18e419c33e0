package io.wslistener.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.wslistener.policy.InvalidSettingException;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * The spread groups of one CamelContext, by namespace (a context plugin, found by the dev console and health
 * checks). Made when the first feed of a {@link FeedSpreadPolicy} is initialised; it starts the groups once the
 * context has started and quiesces them as soon as the context begins to stop, before Camel stops the routes.
 */
final class SpreadGroups {

    private static final Object LOCK = new Object();

    private final CamelContext context;
    private final Map<String, SpreadGroup> byNamespace = new ConcurrentSkipListMap<>();

    private SpreadGroups(CamelContext context) {
        this.context = context;
    }

    /** The context's groups, made (with their start, stop and observability hooks) on first use. */
    static SpreadGroups of(CamelContext context) {
        synchronized (LOCK) {
            SpreadGroups groups = context.getCamelContextExtension().getContextPlugin(SpreadGroups.class);
            if (groups == null) {
                groups = new SpreadGroups(context);
                context.getCamelContextExtension().addContextPlugin(SpreadGroups.class, groups);
                groups.hook();
                ClusterObservability.register(context);
            }
            return groups;
        }
    }

    /** The context's groups if any feed is spread, else null. */
    static SpreadGroups find(CamelContext context) {
        return context.getCamelContextExtension().getContextPlugin(SpreadGroups.class);
    }

    List<SpreadGroup> groups() {
        return List.copyOf(byNamespace.values());
    }

    synchronized void add(FeedSpreadPolicy policy, Route route) {
        String routeId = route.getId();
        SpreadGroup group = byNamespace.get(policy.getNamespace());
        if (group == null) {
            group = new SpreadGroup(context, policy, clusterService(policy, routeId));
            try {
                context.addService(group, true, true);
            } catch (Exception e) {
                throw RuntimeCamelException.wrapRuntimeCamelException(e);
            }
            byNamespace.put(policy.getNamespace(), group);
            if (context.isStarted()) {
                begin(group);
            }
        } else if (group.policy() != policy) {
            throw new InvalidSettingException(routeId, "namespace", "'" + policy.getNamespace()
                    + "' is already the namespace of another FeedSpreadPolicy (that of route '"
                    + firstRoute(group) + "'): two templates spread in one namespace would share its shards and"
                    + " members; give each template's FeedSpreadPolicy a namespace of its own");
        }
        group.add(routeId, feedId(route, policy));
    }

    synchronized void remove(Route route) {
        for (SpreadGroup group : byNamespace.values()) {
            group.remove(route.getId());
        }
    }

    private CamelClusterService clusterService(FeedSpreadPolicy policy, String routeId) {
        CamelClusterService service = ClusterServiceHelper.lookupService(context).orElseThrow(
                () -> new InvalidSettingException(routeId, "routePolicy", "the FeedSpreadPolicy needs a cluster"
                        + " service (a CamelClusterService bean such as examples/cluster/zookeeper/"
                        + "cluster-service.yaml declares), and the CamelContext has none"));
        if (policy.isSpread() && service instanceof FileLockClusterService) {
            throw new InvalidSettingException(routeId, "spread", "true needs a cluster service that lists its"
                    + " members (ZooKeeper, Kubernetes); the file lock (" + service.getId() + ") lists none, so no"
                    + " instance could tell which feeds are its share. Set spread to false for active/passive"
                    + " shards, or use another cluster service");
        }
        if (service.getId() == null || service.getId().isBlank()) {
            throw new InvalidSettingException(routeId, "routePolicy", "the cluster service has no id: a"
                    + " FeedSpreadPolicy tells the members apart by it (set the id of the cluster service bean,"
                    + " a different one on each instance)");
        }
        return service;
    }

    /** The feed's id: the value of the template parameter the policy names. */
    private String feedId(Route route, FeedSpreadPolicy policy) {
        String parameter = policy.getIdParameter();
        if (!route.isCreatedByRouteTemplate() || !(route.getRoute() instanceof RouteDefinition definition)
                || definition.getTemplateParameters() == null) {
            throw new InvalidSettingException(route.getId(), "idParameter", "the route is not made from a route"
                    + " template; a FeedSpreadPolicy spreads the feeds of a template, each named by its template"
                    + " parameter '" + parameter + "'");
        }
        Object value = definition.getTemplateParameters().get(parameter);
        if (value == null) {
            throw new InvalidSettingException(route.getId(), "idParameter", "its route template has no parameter '"
                    + parameter + "'; name the template parameter that holds each feed's id");
        }
        String id = context.resolvePropertyPlaceholders(value.toString()).trim();
        if (id.isEmpty()) {
            throw new InvalidSettingException(route.getId(), "idParameter", "the template parameter '" + parameter
                    + "' is empty");
        }
        return id;
    }

    private static String firstRoute(SpreadGroup group) {
        for (Shard shard : group.shards()) {
            if (shard.feeds() > 0) {
                return shard.routeIds().get(0);
            }
        }
        return "?";
    }

    private void hook() {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {

            @Override
            public void onContextStopping(CamelContext camelContext) {
                // before Camel stops the routes: no move may start one of them again, or be half done
                Duration budget = Duration.ofMillis(
                        camelContext.getShutdownStrategy().getTimeUnit().toMillis(
                                camelContext.getShutdownStrategy().getTimeout()));
                for (SpreadGroup group : groups()) {
                    group.quiesce(budget);
                }
            }
        });
        try {
            context.addStartupListener(new ExtendedStartupListener() {

                @Override
                public void onCamelContextStarted(CamelContext camelContext, boolean alreadyStarted) {
                    // the groups begin once the context is fully started
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext camelContext, boolean alreadyStarted) {
                    groups().forEach(SpreadGroups.this::begin);
                }
            });
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
    }

    private void begin(SpreadGroup group) {
        try {
            group.begin();
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
    }
}
