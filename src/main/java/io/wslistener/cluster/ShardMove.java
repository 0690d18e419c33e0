package io.wslistener.cluster;

import java.util.function.BooleanSupplier;

/**
 * The next step of one shard on this instance, decided from what the instance knows of it: whether it is in the
 * shard's election, leads it, runs its feeds' routes, and whether the assignment gives the shard to this instance.
 * <p>
 * The rules, in order:
 * <ul>
 * <li>an instance joins a shard's election only when the assignment gives it the shard;</li>
 * <li>a leader runs the shard's feeds, also when the assignment has moved the shard away, until the new owner waits
 * in the election: only then does it hand over (stop the routes, which drains and closes each socket with 1000, then
 * release the leadership), so that the new owner wins at once and no shard is left with nobody to take it;</li>
 * <li>an instance that is not the leader runs none of the shard's feeds: a leadership lost (session expired,
 * connection suspended) stops them at once;</li>
 * <li>an instance leaves the election of a shard it neither leads nor owns, and joins again when it owns the shard but
 * finds itself out of the election (the cluster service dropped it after losing its connection).</li>
 * </ul>
 * The two questions that cost a round trip to the cluster service are only asked when the answer matters.
 */
enum ShardMove {

    /** Stop the shard's feeds: the leadership is gone. */
    STOP_ROUTES,
    /** Start the shard's feeds: this instance leads it. */
    START_ROUTES,
    /** Join the shard's election. */
    JOIN,
    /** Leave and join again: the instance owns the shard but is no longer in its election. */
    REJOIN,
    /** Leave the election of a shard this instance neither leads nor owns. */
    LEAVE,
    /** Stop the shard's feeds, then release the leadership to the new owner, who waits in the election. */
    HAND_OVER,
    /** Nothing to do. */
    NONE;

    /** Feeds to stop or shards to take: these go before hand-overs (in this order, as declared). */
    boolean urgent() {
        return this == STOP_ROUTES || this == START_ROUTES || this == JOIN;
    }

    /**
     * @param joined       this instance is in the shard's election
     * @param leader       this instance holds the shard's leadership
     * @param routesUp     the shard's feeds are running here
     * @param assignedHere the assignment gives the shard to this instance
     * @param ownerWaiting the owner the assignment names waits in the shard's election (asked only of a leader that
     *                     does not own the shard)
     * @param inElection   this instance is still listed in the shard's election (asked only of a member that owns
     *                     the shard but does not lead it)
     * @param mayStart     the CamelContext is started and not stopping, so routes may be started
     */
    static ShardMove next(boolean joined, boolean leader, boolean routesUp, boolean assignedHere,
                          BooleanSupplier ownerWaiting, BooleanSupplier inElection, boolean mayStart) {
        if (!joined) {
            return assignedHere ? JOIN : NONE;
        }
        if (leader) {
            if (!assignedHere && ownerWaiting.getAsBoolean()) {
                return HAND_OVER;
            }
            return routesUp || !mayStart ? NONE : START_ROUTES;
        }
        if (routesUp) {
            return STOP_ROUTES;
        }
        if (!assignedHere) {
            return LEAVE;
        }
        return inElection.getAsBoolean() ? NONE : REJOIN;
    }
}
