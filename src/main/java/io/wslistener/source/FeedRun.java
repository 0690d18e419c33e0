package io.wslistener.source;

import java.time.Duration;
import java.util.List;

import io.wslistener.connection.ConnectionLoop;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.StopBudget;

/**
 * What one start of a ws-listener consumer runs on, as {@link FeedRunFactory} wired it: the connection loop, the
 * hand-off to the route and what delivers from it, and the feed as observers see it. A restart makes a new one.
 *
 * @param connector  what the loop connects with (its HTTP client, the worker pool of its URL and header
 *                   computations), closed when the consumer stops
 * @param handoff    where received messages wait for the route, in arrival order
 * @param previous   the hand-off of the route's previous start while it still delivers (its stop's drain timed out):
 *                   this start's messages wait behind its; or null
 * @param delivery   what turns them into exchanges
 * @param stopBudget the context's one deadline for its whole stop
 * @param observers  told when the feed starts and stops (meters, health checks)
 */
record FeedRun(ConnectionSettings settings, Connector connector, ConnectionLoop loop, OrderedHandoff<Inbound> handoff,
               OrderedHandoff<?> previous, ExchangeDelivery delivery, StopBudget stopBudget, Feed feed,
               List<FeedObserver> observers) {

    FeedRun withFeed(Feed observed) {
        return new FeedRun(settings, connector, loop, handoff, previous, delivery, stopBudget, observed, observers);
    }

    /** Messages received and not yet processed: this start's, and those of the previous start still waiting. */
    int pending() {
        return handoff.pending() + (previous == null ? 0 : previous.pending());
    }

    /**
     * Waits until the route has taken everything received, the previous start's backlog first, or the deadline.
     *
     * @return true when nothing is left
     */
    boolean awaitDelivered(long deadlineNanos) throws InterruptedException {
        if (previous != null
                && !previous.awaitEmpty(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))) {
            return false;
        }
        return handoff.awaitEmpty(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }
}
