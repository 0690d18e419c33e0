package io.wslistener.source;

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
 * @param delivery   what turns them into exchanges
 * @param stopBudget the context's one deadline for its whole stop
 * @param observers  told when the feed starts and stops (meters, health checks)
 */
record FeedRun(ConnectionSettings settings, Connector connector, ConnectionLoop loop, OrderedHandoff<Inbound> handoff,
               ExchangeDelivery delivery, StopBudget stopBudget, Feed feed, List<FeedObserver> observers) {
}
