package io.wslistener.cluster;

import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import static io.wslistener.cluster.ShardMove.HAND_OVER;
import static io.wslistener.cluster.ShardMove.JOIN;
import static io.wslistener.cluster.ShardMove.LEAVE;
import static io.wslistener.cluster.ShardMove.NONE;
import static io.wslistener.cluster.ShardMove.REJOIN;
import static io.wslistener.cluster.ShardMove.START_ROUTES;
import static io.wslistener.cluster.ShardMove.STOP_ROUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rules of one shard's next move, case by case, and that the questions costing a round trip to the cluster service
 * are asked only where the answer matters.
 */
class ShardMoveTest {

    private static final BooleanSupplier YES = () -> true;
    private static final BooleanSupplier NO = () -> false;
    private static final BooleanSupplier NOT_ASKED = () -> fail("asked needlessly");

    @Test
    void anInstanceJoinsOnlyTheElectionsOfShardsAssignedToIt() {
        assertEquals(JOIN, ShardMove.next(false, false, false, true, NOT_ASKED, NOT_ASKED, true));
        assertEquals(NONE, ShardMove.next(false, false, false, false, NOT_ASKED, NOT_ASKED, true));
    }

    @Test
    void aLeaderStartsItsShardsFeedsOnceTheContextMayStartRoutes() {
        assertEquals(START_ROUTES, ShardMove.next(true, true, false, true, NOT_ASKED, NOT_ASKED, true));
        assertEquals(NONE, ShardMove.next(true, true, false, true, NOT_ASKED, NOT_ASKED, false));
        assertEquals(NONE, ShardMove.next(true, true, true, true, NOT_ASKED, NOT_ASKED, true));
    }

    @Test
    void aLeaderHandsAShardOverOnlyOnceItsNewOwnerWaitsInTheElection() {
        assertEquals(HAND_OVER, ShardMove.next(true, true, true, false, YES, NOT_ASKED, true));
        // nobody waits yet: it keeps the feeds running, and starts them if it just won the shard
        assertEquals(NONE, ShardMove.next(true, true, true, false, NO, NOT_ASKED, true));
        assertEquals(START_ROUTES, ShardMove.next(true, true, false, false, NO, NOT_ASKED, true));
        // a shard won while its feeds could not start goes to its waiting owner without them
        assertEquals(HAND_OVER, ShardMove.next(true, true, false, false, YES, NOT_ASKED, false));
    }

    @Test
    void withoutTheLeadershipTheFeedsStopAtOnceWhateverTheAssignment() {
        assertEquals(STOP_ROUTES, ShardMove.next(true, false, true, true, NOT_ASKED, NOT_ASKED, true));
        assertEquals(STOP_ROUTES, ShardMove.next(true, false, true, false, NOT_ASKED, NOT_ASKED, true));
    }

    @Test
    void aWaitingInstanceLeavesAShardAssignedElsewhere() {
        assertEquals(LEAVE, ShardMove.next(true, false, false, false, NOT_ASKED, NOT_ASKED, true));
    }

    @Test
    void anOwnerDroppedFromTheElectionJoinsAgain() {
        assertEquals(REJOIN, ShardMove.next(true, false, false, true, NOT_ASKED, NO, true));
        assertEquals(NONE, ShardMove.next(true, false, false, true, NOT_ASKED, YES, true));
    }
}
