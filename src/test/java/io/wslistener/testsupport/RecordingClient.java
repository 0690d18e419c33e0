package io.wslistener.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A plain Vert.x WebSocket client for tests of the test support: connects to 127.0.0.1:port and records what it gets.
 */
final class RecordingClient implements AutoCloseable {

    /** One client connection and what it saw. */
    static final class Conn {

        final WebSocket ws;
        final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger pongs = new AtomicInteger();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Conn(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(texts::add);
            ws.pongHandler(b -> pongs.incrementAndGet());
            ws.exceptionHandler(errors::add);
            ws.closeHandler(v -> closed.complete(null));
        }

        List<String> texts() {
            synchronized (texts) {
                return List.copyOf(texts);
            }
        }

        boolean isClosed() {
            return closed.isDone();
        }
    }

    final Vertx vertx;
    final WebSocketClient client;

    RecordingClient() {
        this(new WebSocketClientOptions());
    }

    RecordingClient(WebSocketClientOptions options) {
        this.vertx = Vertx.vertx();
        this.client = vertx.createWebSocketClient(options);
    }

    /** Starts a connect; the future completes with the recording connection or fails with the connect error. */
    CompletableFuture<Conn> connectAsync(int port, MultiMap headers) {
        return connectAsync(port, "/ws", headers);
    }

    /** The same on this request path. */
    CompletableFuture<Conn> connectAsync(int port, String path, MultiMap headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(port).setURI(path).setTimeout(10_000);
        if (headers != null) {
            options.setHeaders(headers);
        }
        Future<WebSocket> f = client.connect(options);
        return f.map(Conn::new).toCompletionStage().toCompletableFuture();
    }

    Conn connect(int port) throws Exception {
        return connectAsync(port, null).get(10, TimeUnit.SECONDS);
    }

    /** The connect failure (unwrapped), or an AssertionError if it connected. */
    Throwable connectFailure(int port, MultiMap headers) throws Exception {
        try {
            Conn c = connectAsync(port, headers).get(10, TimeUnit.SECONDS);
            c.ws.close();
            throw new AssertionError("connect unexpectedly succeeded");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
