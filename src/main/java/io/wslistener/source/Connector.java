package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.connection.UrlRotation;
import io.wslistener.connection.WebSocketConnector;
import io.wslistener.policy.HandshakeHeaders;

/**
 * Opens the WebSocket of one attempt: picks the server URL (the next one after its server failed), computes the URL and
 * the handshake headers where they call user code (beans, expressions, a token file), then connects on the loop's
 * context. The loop's connect timer runs from before this, so the time spent computing counts in
 * {@code connectTimeout}.
 * <p>
 * User code runs on a worker pool of the route's own ({@value #USER_CODE_THREADS} threads named
 * {@code wslistener-connect-<routeId>}), never on the event loop nor on Vert.x's shared worker pool: a bean that hangs
 * then holds up no other feed. Vert.x's blocked-thread checker logs a call that outlives {@code connectTimeout} with
 * its stack trace; the attempt fails at {@code connectTimeout}, naming what had not returned; while every thread of
 * the pool still hangs in an earlier call, an attempt fails at once instead of queueing behind them; and closing the
 * pool when the route stops interrupts what still hangs.
 */
final class Connector implements WebSocketConnector, AutoCloseable {

    /** One for the attempt under way, and one more so that a single call that hangs does not hold up the next one. */
    static final int USER_CODE_THREADS = 2;

    private final HttpClient client;
    private final Supplier<WebSocketConnectOptions> routeOptions;
    private final HandshakeHeaders headers;
    private final ServerUrls urls;
    private final UrlRotation<ServerUrls.Entry> rotation;
    private final Duration connectTimeout;
    private final WorkerExecutor userCode;
    private final AtomicInteger callsUnderWay = new AtomicInteger();

    // confined to the loop's context
    private ServerUrls.Entry chosen;
    // what the latest attempt's user code is running, null once it returned; written by the worker
    private AtomicReference<String> computing = new AtomicReference<>();

    /**
     * @param computeHeaders whether the handshake headers call user code (expressions, a provider bean): if neither
     *                       they nor the URL do, no worker pool is made and everything runs on the loop's context
     */
    Connector(Vertx vertx, String routeId, HttpClient client, Supplier<WebSocketConnectOptions> routeOptions,
              HandshakeHeaders headers, boolean computeHeaders, ServerUrls urls, Duration connectTimeout) {
        this.client = client;
        this.routeOptions = routeOptions;
        this.headers = headers;
        this.urls = urls;
        this.rotation = new UrlRotation<>(urls.entries());
        this.connectTimeout = connectTimeout;
        this.userCode = computeHeaders || urls.callsUserCode()
                ? vertx.createSharedWorkerExecutor("wslistener-connect-" + routeId, USER_CODE_THREADS,
                        connectTimeout.toNanos(), TimeUnit.NANOSECONDS)
                : null;
    }

    @Override
    public String nextTarget() {
        chosen = rotation.next();
        return ServerUrls.display(chosen);
    }

    @Override
    public void serverFailed() {
        rotation.onAttemptFailed();
    }

    @Override
    public String stillComputing() {
        return computing.get();
    }

    @Override
    public Future<WebSocket> connect() {
        ServerUrls.Entry url = chosen != null ? chosen : rotation.next();
        WebSocketConnectOptions options = routeOptions.get();
        if (userCode == null) {
            // fixed URLs and headers: nothing to wait for, no hop to a worker
            try {
                if (urls.computed()) {
                    urls.applyTo(url, options, step -> {
                    });
                }
                headers.applyTo(options);
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
            // only Vert.x can close the connection of a handshake that never completes (the loop only gives up on it)
            options.setTimeout(connectTimeout.toMillis());
            return client.webSocket(options);
        }
        if (callsUnderWay.get() >= USER_CODE_THREADS) {
            return Future.failedFuture(new IllegalStateException("the URL and handshake header computations of "
                    + USER_CODE_THREADS + " earlier attempts have not returned"));
        }
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        AtomicReference<String> step = new AtomicReference<>();
        computing = step;
        callsUnderWay.incrementAndGet();
        // unordered: an attempt whose user code hangs must not hold up the next attempt's
        return userCode.executeBlocking(() -> {
            try {
                if (urls.computed()) {
                    urls.applyTo(url, options, step::set);
                }
                step.set("the handshake headers");
                headers.applyTo(options);
                return options;
            } finally {
                step.set(null);
                callsUnderWay.decrementAndGet();
            }
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

    /** Closes the HTTP client, and the worker pool, interrupting what still hangs in it. */
    @Override
    public void close() {
        if (userCode != null) {
            userCode.close();
        }
        client.close();
    }
}
