package io.wslistener.sink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * An in-process Vert.x WebSocket server on 127.0.0.1 that sends each client messages 1..count as fast as the client
 * reads them (it waits on the write queue, so a paused client holds it back).
 */
final class TestFeedServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final int count;
    private final IntFunction<String> message;
    private final AtomicInteger sent = new AtomicInteger();
    private HttpServer server;

    TestFeedServer(int count, IntFunction<String> message) {
        this.count = count;
        this.message = message;
    }

    TestFeedServer start() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(this::accept);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return this;
    }

    int port() {
        return server.actualPort();
    }

    /** The ws-listener URI of this feed. */
    String uri() {
        return "ws-listener:127.0.0.1:" + port() + "/feed";
    }

    /** Messages written to clients so far. */
    int sent() {
        return sent.get();
    }

    private void accept(ServerWebSocket ws) {
        int[] next = { 1 };
        ws.textMessageHandler(text -> {
        });
        sendSome(ws, next);
    }

    private void sendSome(ServerWebSocket ws, int[] next) {
        while (next[0] <= count && !ws.writeQueueFull()) {
            ws.writeTextMessage(message.apply(next[0]++));
            sent.incrementAndGet();
        }
        if (next[0] <= count) {
            ws.drainHandler(v -> sendSome(ws, next));
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
