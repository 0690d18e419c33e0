package io.wslistener.spi;

import java.util.function.IntSupplier;

import io.wslistener.connection.ConnectionLoop;
import io.wslistener.policy.ConnectionSettings;

/**
 * One running WebSocket feed, as observers (meters, health checks) see it.
 *
 * @param routeId   the route that consumes it
 * @param serverUri where it connects, with secrets masked
 * @param loop      its connection loop; add a listener to follow its events
 * @param settings  the settings it runs with
 * @param inFlight  messages received and not yet processed
 * @param delivery  bytes in flight, the current pause, failures that escaped the route
 * @param sequenceGaps gaps found in the {@code sequenceField} of the messages since the route started
 */
public record Feed(String routeId, String serverUri, ConnectionLoop loop, ConnectionSettings settings,
                   IntSupplier inFlight,
                   DeliveryStatus delivery, java.util.function.LongSupplier sequenceGaps) {
}
