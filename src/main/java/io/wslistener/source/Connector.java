package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.FailureCause;
import io.wslistener.connection.UrlRotation;
import io.wslistener.connection.WebSocketConnector;
import io.wslistener.policy.HandshakeHeaders;

/**
 * Opens the WebSocket of one attempt: picks the server URL (the next one after a failed attempt), computes the URL and
 * the handshake headers on a worker thread (they may call user code: beans, expressions, a token file), then connects
 * on the loop's context. The loop's connect timer runs from before this, so the time spent computing counts in
 * {@code connectTimeout}.
 */
final class Connector implements WebSocketConnector, ConnectionListener {

    private final Vertx vertx;
    private final HttpClient client;
    private final Supplier<WebSocketConnectOptions> routeOptions;
    private final HandshakeHeaders headers;
    private final ServerUrls urls;
    private final UrlRotation<ServerUrls.Entry> rotation;
    private final Duration connectTimeout;

    // confined to the loop's context
    private ServerUrls.Entry chosen;

    Connector(Vertx vertx, HttpClient client, Supplier<WebSocketConnectOptions> routeOptions, HandshakeHeaders headers,
              ServerUrls urls, Duration connectTimeout) {
        this.vertx = vertx;
        this.client = client;
        this.routeOptions = routeOptions;
        this.headers = headers;
        this.urls = urls;
        this.rotation = new UrlRotation<>(urls.entries());
        this.connectTimeout = connectTimeout;
    }

    @Override
    public String nextTarget() {
        chosen = rotation.next();
        return ServerUrls.display(chosen);
    }

    @Override
    public Future<WebSocket> connect() {
        ServerUrls.Entry url = chosen != null ? chosen : rotation.next();
        WebSocketConnectOptions options = routeOptions.get();
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        // unordered: an attempt whose user code hangs must not hold up the next attempt's
        return vertx.executeBlocking(() -> {
            if (urls.computed()) {
                urls.applyTo(url, options);
            }
            headers.applyTo(options);
            return options;
        }, false).compose(ready -> {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis <= 0) {
                // the loop gave up on this attempt meanwhile: connecting now would only open a socket to close
                return Future.failedFuture("the URL and handshake headers took longer than connectTimeout");
            }
            // the loop gives up on an attempt after connectTimeout, but only Vert.x can close the connection of a
            // handshake that never completes: without this, each such attempt would leave an open socket behind
            ready.setTimeout(leftMillis);
            return client.webSocket(ready);
        });
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause cause, String description) {
        rotation.onAttemptFailed();
    }
}
