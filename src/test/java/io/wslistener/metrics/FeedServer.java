package io.wslistener.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;

/**
 * A WebSocket server on 127.0.0.1 that a test can make misbehave: close, reset, or stop reading (so it answers no
 * pings while TCP stays up, like a half-open peer). Can be stopped and started again on the same port.
 */
final class FeedServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
    private final int port;
    private HttpServer server;

    FeedServer(int port) {
        this.port = port;
    }

    FeedServer start() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .webSocketHandler(ws -> {
                    sockets.add(ws);
                    ws.closeHandler(v -> sockets.remove(ws));
                });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    /** Stops listening and drops every connection without a close frame. */
    void stop() throws Exception {
        reset();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server = null;
    }

    int port() {
        return port;
    }

    int connections() {
        return sockets.size();
    }

    void send(String text) {
        sockets.forEach(ws -> ws.writeTextMessage(text));
    }

    /** Closes every connection with a close frame carrying {@code code}. */
    void close(int code) {
        sockets.forEach(ws -> ws.close((short) code, "test"));
    }

    /** Drops every connection at the TCP level: the client sees no close frame. */
    void reset() {
        sockets.forEach(ws -> ((WebSocketInternal) ws).channelHandlerContext().close());
    }

    /** Stops reading every connection: pings are no longer read, so no pong goes back; TCP stays open. */
    void blackHole() {
        sockets.forEach(ws -> ((WebSocketInternal) ws).channelHandlerContext().channel().config().setAutoRead(false));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
