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
}
