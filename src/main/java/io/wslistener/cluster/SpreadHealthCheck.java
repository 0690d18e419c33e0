package io.wslistener.cluster;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health of one spread group on this instance: the shards and feeds it leads, the members, and readiness DOWN
 * while the member view cannot be read or another instance has this instance's member id (the assignment then cannot
 * be trusted). Loaded only when camel-health is on the classpath.
 */
final class SpreadHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "wslistener";

    private final SpreadGroup group;

    SpreadHealthCheck(CamelContext context, SpreadGroup group) {
        super(GROUP, "wslistener-cluster:" + group.namespace());
        this.group = group;
        setCamelContext(context);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SpreadStatus status = SpreadStatus.of(group);
        var led = status.led();
        builder.detail("namespace", status.namespace());
        builder.detail("member.id", status.memberId());
        builder.detail("spread", status.spread());
        builder.detail("members", status.members().size());
        builder.detail("members.list", String.join(",", status.members()));
        builder.detail("shards", status.shardCount());
        builder.detail("shards.led", led.size());
        builder.detail("shards.led.list", led.stream().map(s -> Integer.toString(s.shard()))
                .collect(Collectors.joining(",")));
        builder.detail("feeds", status.feeds());
        builder.detail("feeds.led", status.feedsLed());
        builder.detail("feeds.bound", status.bound());
        String lead = "leads " + led.size() + " shards, " + status.feedsLed() + " of " + status.feeds() + " feeds";
        if (status.duplicateMemberId()) {
            builder.state(State.DOWN);
            builder.message("Spread group '" + status.namespace() + "': another instance has this instance's member id "
                    + status.memberId() + "; " + lead);
        } else if (status.spread() && !status.membersReadable()) {
            builder.state(State.DOWN);
            builder.message("Spread group '" + status.namespace() + "': the members cannot be read from the cluster"
                    + " service now; " + lead);
        } else {
            builder.state(State.UP);
            builder.message("Spread group '" + status.namespace() + "': member " + status.memberId() + " of "
                    + status.members().size() + ", " + lead);
        }
    }
}
