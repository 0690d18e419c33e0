package io.wslistener.cluster;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of a spread group, tagged with its namespace: members, shards and feeds this instance leads, 1 or 0 per
 * shard for whether it leads that shard, and the moves it made. Removed when the group stops. Loaded only when
 * camel-micrometer is on the classpath.
 */
final class SpreadMeters {

    static final String NAMESPACE = "namespace";
    static final String SHARD = "shard";
    static final String MOVE = "move";

    static final String MEMBERS = "wslistener.cluster.members";
    static final String SHARDS_LED = "wslistener.cluster.shards.led";
    static final String FEEDS_LED = "wslistener.cluster.feeds.led";
    static final String SHARD_LED = "wslistener.cluster.shard.led";
    static final String MOVES = "wslistener.cluster.shard.moves";

    private SpreadMeters() {
    }

    static void bind(MeterRegistry registry, SpreadGroup group) {
        Tags tags = Tags.of(NAMESPACE, group.namespace());
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder(MEMBERS, group, g -> g.members().ids().size()).tags(tags)
                .description("Live members of the spread group, this instance included").register(registry));
        meters.add(Gauge.builder(SHARDS_LED, group, g -> SpreadStatus.of(g).led().size()).tags(tags)
                .description("Shards whose leadership this instance holds and whose feeds it runs")
                .register(registry));
        meters.add(Gauge.builder(FEEDS_LED, group, g -> SpreadStatus.of(g).feedsLed()).tags(tags)
                .description("Feeds of the spread group this instance runs").register(registry));
        for (Shard shard : group.shards()) {
            if (shard.feeds() > 0) {
                meters.add(Gauge.builder(SHARD_LED, shard, s -> s.leader() && s.routesUp() ? 1 : 0)
                        .tags(tags.and(SHARD, Integer.toString(shard.id())))
                        .description("1 while this instance leads the shard and runs its feeds, else 0")
                        .register(registry));
            }
        }
        ShardMoves moves = group.moves();
        meters.add(counter(registry, tags, "taken", moves, ShardMoves::taken));
        meters.add(counter(registry, tags, "released", moves, ShardMoves::released));
        meters.add(counter(registry, tags, "lost", moves, ShardMoves::lost));
        group.onStop(() -> meters.forEach(registry::remove));
    }

    private static Meter counter(MeterRegistry registry, Tags tags, String move, ShardMoves moves,
                                 java.util.function.ToDoubleFunction<ShardMoves> count) {
        return FunctionCounter.builder(MOVES, moves, count).tags(tags.and(MOVE, move))
                .description("Shards this instance took (taken), handed over (released) or lost the leadership of")
                .register(registry);
    }
}
