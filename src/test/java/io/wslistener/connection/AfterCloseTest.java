package io.wslistener.connection;

import java.time.Duration;
import java.util.Set;

import io.wslistener.connection.AfterClose.Ending;
import io.wslistener.connection.AfterClose.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AfterCloseTest {

    private static final Duration STABLE = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofSeconds(1);
    private final AfterClose policy = new AfterClose(Set.of(1008), Set.of(1001, 1012), Set.of(1013), STABLE);

    @Test
    void redeployingServerIsNoFailureAfterAStableConnectionOnly() {
        assertEquals(Outcome.NOT_A_FAILURE, policy.outcome(Ending.SERVER_OR_NETWORK, 1001, LONG));
        assertEquals(Outcome.NOT_A_FAILURE, policy.outcome(Ending.SERVER_OR_NETWORK, 1012, STABLE));
        assertEquals(Outcome.FAILURE, policy.outcome(Ending.SERVER_OR_NETWORK, 1012, SHORT));
    }

    @Test
    void tryAgainLaterBacksOffHoweverLongTheConnectionLived() {
        assertEquals(Outcome.FAILURE, policy.outcome(Ending.SERVER_OR_NETWORK, 1013, LONG));
    }

    @Test
    void otherClosesCountAsBefore() {
        assertEquals(Outcome.FAILURE_AFTER_STABLE, policy.outcome(Ending.SERVER_OR_NETWORK, 1000, LONG));
        assertEquals(Outcome.FAILURE_AFTER_STABLE, policy.outcome(Ending.SERVER_OR_NETWORK, -1, LONG));
        assertEquals(Outcome.FAILURE, policy.outcome(Ending.SERVER_OR_NETWORK, -1, SHORT));
        assertEquals(Outcome.STOP, policy.outcome(Ending.SERVER_OR_NETWORK, 1008, LONG));
    }

    @Test
    void stopWinsOverTheOtherLists() {
        AfterClose overlapping = new AfterClose(Set.of(1001), Set.of(1001, 1013), Set.of(1013), STABLE);
        assertEquals(Outcome.STOP, overlapping.outcome(Ending.SERVER_OR_NETWORK, 1001, LONG));
        assertEquals(Outcome.FAILURE, overlapping.outcome(Ending.SERVER_OR_NETWORK, 1013, LONG));
    }

    @Test
    void theLoopsOwnClosesAreWhatTheyAre() {
        assertEquals(Outcome.PLANNED, policy.outcome(Ending.MAX_AGE, 1000, SHORT));
        assertEquals(Outcome.PLANNED_AFTER_STABLE, policy.outcome(Ending.MAX_AGE, 1000, LONG));
        assertEquals(Outcome.FAILURE, policy.outcome(Ending.NO_SUBSCRIBE_ACK, -1, LONG));
    }
}
