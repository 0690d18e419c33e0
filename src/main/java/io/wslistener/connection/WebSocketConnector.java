package io.wslistener.connection;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;

/**
 * Opens one WebSocket. Called once per attempt on the loop's context, so that anything computed for the handshake
 * (headers carrying a rotating token, for example) is computed again on every connect.
 */
@FunctionalInterface
public interface WebSocketConnector {

    Future<WebSocket> connect();

    /**
     * Called on the loop's context right before each attempt, before its CONNECTING transition: the server this attempt
     * goes to, secrets masked, for the state that logs, health and meters read.
     *
     * @return the server, or null when the connector does not say
     */
    default String nextTarget() {
        return null;
    }

    /**
     * Called on the loop's context when the server of the latest attempt or connection failed it: the attempt failed, or
     * the connection ended before it lived {@code stableUptime} or was never acknowledged. With several servers the next
     * attempt goes to the next one.
     */
    default void serverFailed() {
    }

    /**
     * Called on the loop's context when an attempt ran out of {@code connectTimeout}: what it was still waiting for, when
     * that was not the network (a URL or header computation that has not returned), for the failure's description.
     *
     * @return for example {@code "the urlProvider bean"}, or null when the attempt was on the network
     */
    default String stillComputing() {
        return null;
    }
}
