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
}
