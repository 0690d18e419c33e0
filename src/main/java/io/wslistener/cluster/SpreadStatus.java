package io.wslistener.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What one spread group looks like from this instance at one moment, for the health check, the dev console and the
 * meters. Taken without a round trip to the cluster service.
 *
 * @param namespace         the group's namespace
 * @param memberId          this instance's member id
 * @param spread            whether the feeds are spread (false: every instance stands by for every shard)
 * @param members           the live members as last read (this instance alone until the member view answered)
 * @param membersReadable   the last read of the member view succeeded
 * @param duplicateMemberId another instance has this instance's member id
 * @param shardCount        the shards of the group
 * @param feeds             the feeds of the group, on all members together
 * @param bound             the most feeds a member leads once the group is stable (0 before the first assignment)
 * @param shards            the shards whose election this instance is in
 * @param taken             shards taken by this instance since it started
 * @param released          shards handed over to another instance since it started
 * @param lost              shard leaderships this instance lost since it started
 */
record SpreadStatus(String namespace, String memberId, boolean spread, List<String> members,
                    boolean membersReadable, boolean duplicateMemberId, int shardCount, int feeds, int bound,
                    List<ShardState> shards, long taken, long released, long lost) {

    /**
     * One shard this instance is in the election of.
     *
     * @param shard   the shard's number
     * @param state   what this instance does with it, in words
     * @param led     this instance holds its leadership and runs its feeds
     * @param feedIds the shard's feeds
     */
    record ShardState(int shard, String state, boolean led, List<String> feedIds) {
    }

    static SpreadStatus of(SpreadGroup group) {
        List<ShardState> states = new ArrayList<>();
        for (Shard shard : group.shards()) {
            if (shard.joined()) {
                boolean leader = shard.leader();
                states.add(new ShardState(shard.id(), describe(group, shard, leader), leader && shard.routesUp(),
                        shard.feedIds()));
            }
        }
        ShardAssignment assignment = group.assignment();
        Membership.Members members = group.members();
        ShardMoves moves = group.moves();
        return new SpreadStatus(group.namespace(), group.localId(), group.spread(),
                members == null ? List.of() : List.copyOf(members.ids()), members != null && members.readable(),
                members != null && members.duplicateLocalId(), group.shards().length, group.feeds(),
                assignment == null ? 0 : assignment.bound(), states, moves.taken(), moves.released(),
                moves.lost());
    }

    private static String describe(SpreadGroup group, Shard shard, boolean leader) {
        if (!leader) {
            return "waiting for the leadership";
        }
        if (!group.assignedHere(shard)) {
            return "handing over to " + group.owner(shard);
        }
        return shard.routesUp() ? "leading" : "starting its feeds";
    }

    /** The shards this instance leads. */
    List<ShardState> led() {
        return shards.stream().filter(ShardState::led).toList();
    }

    /** The feeds this instance runs. */
    int feedsLed() {
        return led().stream().mapToInt(s -> s.feedIds().size()).sum();
    }
}
