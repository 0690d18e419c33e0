package io.wslistener.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

/**
 * The health-check repository of the spread groups: one {@link SpreadHealthCheck} per group of the context, next to
 * the feeds' own checks on camel-main's health endpoint.
 */
final class SpreadHealthChecks implements HealthCheckRepository {

    static final String ID = "wslistener-cluster";

    private final CamelContext context;
    private final Map<String, SpreadHealthCheck> byNamespace = new ConcurrentHashMap<>();
    private volatile boolean enabled = true;

    SpreadHealthChecks(CamelContext context) {
        this.context = context;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        SpreadGroups groups = SpreadGroups.find(context);
        if (!enabled || groups == null) {
            return Stream.empty();
        }
        return groups.groups().stream().map(group -> byNamespace.computeIfAbsent(group.namespace(),
                namespace -> new SpreadHealthCheck(context, group)));
    }
}
