package io.wslistener.testsupport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import org.awaitility.Awaitility;

/**
 * An in-process Vert.x WebSocket server on 127.0.0.1 for real-network tests: started, stopped (abruptly or with a
 * close frame) and restarted on its port, told to reject handshakes, to send, to fall silent or to misbehave.
 *
 * <p>Control methods ({@link #start()}, {@link #stop()}, ...) are meant to be called from the test thread: they wait
 * (bounded) for the server and refuse to run on a Vert.x event loop thread. Sending methods never block: they return a
 * {@link CompletableFuture} and do all socket work on the socket's own event loop context ({@link SendingServer}).</p>
 *
 * <p>What it saw ({@link RecordingServer}: handshake headers, texts, pings, counters, per path {@link PathCounts},
 * each {@link ServerConnection}) can be read from any thread at any time. A socket is counted and recorded before its
 * 101 response is written, so once a client is connected the counters show it. Clients in other JVMs (the failover
 * tests) connect to it like any other client.</p>
 *
 * <p>Dropping sockets without a close frame, {@link #stopReading()} and {@link #ignorePings()} need Vert.x and Netty
 * internals, kept in {@link SocketInternals}.</p>
 */
public final class TestWebSocketServer extends SendingServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final boolean ownsVertx;

    // configuration (effective for sockets/servers created afterwards)
    private volatile int writeQueueMaxSize = 8 * 1024;
    private volatile int sendBufferSize = -1;
    private volatile int rejectStatus; // 0 = accept
    private volatile KeyCertOptions tlsKeyCert;
    private volatile TrustOptions clientTrust;
    private volatile boolean ignorePings;
    private volatile boolean ignoreCloseFrames;
    private volatile BiConsumer<ServerConnection, String> textHandler;
    private volatile boolean stopping;

    private volatile HttpServer server;
    private volatile int port = -1;

    /** A server with its own Vert.x instance, closed by {@link #close()}. Not started yet. */
    public TestWebSocketServer() {
        this(Vertx.vertx(), true);
    }

    /** A server on the given Vert.x instance, which {@link #close()} leaves open. Not started yet. */
    public TestWebSocketServer(Vertx vertx) {
        this(vertx, false);
    }

    private TestWebSocketServer(Vertx vertx, boolean ownsVertx) {
        this.vertx = Objects.requireNonNull(vertx);
        this.ownsVertx = ownsVertx;
    }

    // ------------------------------------------------------------------ configuration

    /** Write queue size (bytes) set on every new socket; small so writeQueueFull() shows up quickly. Default 8 KiB. */
    public TestWebSocketServer writeQueueMaxSize(int bytes) {
        this.writeQueueMaxSize = bytes;
        return this;
    }

    /** SO_SNDBUF of accepted sockets, applied on the next start; -1 (default) keeps the OS default. */
    public TestWebSocketServer sendBufferSize(int bytes) {
        this.sendBufferSize = bytes;
        return this;
    }

    /**
     * Makes sockets accepted from now on ignore WebSocket pings: counted, never answered with a pong (as servers that
     * want an application-level heartbeat do).
     */
    public TestWebSocketServer ignorePings() {
        this.ignorePings = true;
        return this;
    }

    /**
     * Makes sockets accepted from now on never answer a client's close frame, like a server that ignores it: the frame
     * is recorded ({@link ServerConnection#sentBeforeCloseFrame()}) and taken out of the Netty pipeline before Vert.x
     * sees it, so the socket stays open and send batches go on. A server busy writing reads nothing: let it send at a
     * rate ({@link #sendEvery}) for its close frame to be seen.
     */
    public TestWebSocketServer ignoreCloseFrames() {
        this.ignoreCloseFrames = true;
        return this;
    }

    /**
     * Calls {@code handler} on the socket's event loop for every text message received (after it was recorded), e.g.
     * to answer an application-level ping with {@link ServerConnection#sendText(String)}.
     */
    public TestWebSocketServer onText(BiConsumer<ServerConnection, String> handler) {
        this.textHandler = handler;
        return this;
    }

    /**
     * Serves wss:// with this key and certificate chain (e.g. a {@code PfxOptions}), applied on the next start;
     * {@link #url} then says {@code wss://}.
     */
    public TestWebSocketServer tls(KeyCertOptions keyCertificate) {
        this.tlsKeyCert = Objects.requireNonNull(keyCertificate);
        return this;
    }

    /** With {@link #tls}: requires a client certificate that these options trust (TLS client auth REQUIRED). */
    public TestWebSocketServer requireClientCertificate(TrustOptions trustedIssuers) {
        this.clientTrust = Objects.requireNonNull(trustedIssuers);
        return this;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts listening on 127.0.0.1, on an ephemeral port. */
    public TestWebSocketServer start() {
        return start(0);
    }

    /** Starts listening on 127.0.0.1:port (0 = ephemeral), e.g. to come back on the port of an earlier start. */
    public synchronized TestWebSocketServer start(int port) {
        checkNotOnEventLoop();
        if (server != null) {
            throw new IllegalStateException("already started on port " + this.port);
        }
        HttpServer s = vertx.createHttpServer(options(port))
                // called once the TCP connection is up and, with TLS, its handshake completed
                .connectionHandler(connection -> tcpConnectionAccepted())
                .webSocketHandler(this::onSocket)
                .requestHandler(req -> req.response().setStatusCode(426).end("WebSocket only"));
        if (port == 0) {
            await(s.listen());
        } else {
            // coming back on a given port: the kernel may not have let go of it yet right after a stop
            Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                    .pollInterval(Duration.ofMillis(50)).until(() -> listens(s));
        }
        this.server = s;
        this.port = s.actualPort();
        return this;
    }

    /**
     * Stops abruptly: every socket's TCP connection is closed without a WebSocket close frame, then the listening
     * socket is closed. No-op if not started.
     */
    public synchronized TestWebSocketServer stop() {
        checkNotOnEventLoop();
        HttpServer s = server;
        if (s != null) {
            // HttpServer.close() alone would send a 1000 close frame on every WebSocket: drop them first. Handshakes
            // arriving meanwhile are rejected with 503 (HttpServer.close() then closes those plain HTTP connections).
            stopping = true;
            try {
                await(dropAll());
                await(s.close());
            } finally {
                server = null;
                stopping = false;
            }
        }
        return this;
    }

    /**
     * Stops gracefully: handshakes arriving meanwhile are rejected with 503, every client gets a close frame with
     * the given code and reason, the server waits (up to a few seconds) for the sockets to close, then stops.
     */
    public synchronized TestWebSocketServer stopGracefully(short code, String reason) {
        checkNotOnEventLoop();
        if (server == null) {
            return this;
        }
        int previousReject = rejectStatus;
        rejectStatus = 503;
        try {
            try {
                closeAll(code, reason).get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // clients that did not answer the close frame get closed abruptly by stop()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // closed anyway
            }
            stop();
        } finally {
            rejectStatus = previousReject;
        }
        return this;
    }

    /** {@link #stop()} then {@link #start(int)} on the same port. */
    public synchronized TestWebSocketServer restart() {
        if (port < 0) {
            throw new IllegalStateException("never started");
        }
        stop();
        return start(port);
    }

    /** Stops the server and, if it created its Vert.x instance, closes that too. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            if (ownsVertx) {
                await(vertx.close());
            }
        }
    }

    /** Whether the server is listening. */
    public boolean isRunning() {
        return server != null;
    }

    /** The port of the last start (still known after stop, so tests can restart on it). */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("never started");
        }
        return port;
    }

    /** {@code ws://127.0.0.1:<port><path>}, or {@code wss://...} when serving {@link #tls}. */
    public String url(String path) {
        return (tlsKeyCert != null ? "wss" : "ws") + "://127.0.0.1:" + port() + path;
    }

    /** The consumer URI of a feed on this server: {@code ws-listener:127.0.0.1:<port><path>} (or {@code wss:...}). */
    public String listenerUri(String path) {
        return "ws-listener:" + (tlsKeyCert != null ? "wss:" : "") + "127.0.0.1:" + port() + path;
    }

    /** The Vert.x instance this server runs on. */
    @Override
    public Vertx vertx() {
        return vertx;
    }

    // ------------------------------------------------------------------ handshake control

    /** Rejects every following handshake with this HTTP status (e.g. 401, 503) until {@link #acceptHandshakes()}. */
    public TestWebSocketServer rejectHandshakesWith(int status) {
        if (status < 200 || status == 101) {
            throw new IllegalArgumentException("invalid rejection status " + status);
        }
        this.rejectStatus = status;
        return this;
    }

    /** Accepts handshakes again (the default). */
    public TestWebSocketServer acceptHandshakes() {
        this.rejectStatus = 0;
        return this;
    }

    // ------------------------------------------------------------------ closing and misbehaving

    /**
     * Sends a close frame with this code and reason to every open socket; the server keeps listening. Completes once
     * all those sockets are closed.
     */
    public CompletableFuture<Void> closeAll(short code, String reason) {
        return ServerConnection.onEach(openConnections(), c -> {
            c.close(code, reason);
            return c.closedFuture();
        });
    }

    /**
     * Closes every socket's TCP connection abruptly, without a close frame; the server keeps listening. Completes once
     * all those sockets are closed.
     */
    public CompletableFuture<Void> dropAll() {
        return ServerConnection.onEach(openConnections(), ServerConnection::drop);
    }

    /**
     * Stops reading every open socket, like a half-open peer: pings are no longer read, so no pong goes back, while
     * TCP stays open. Returns once every socket has stopped (what the client sends afterwards stays unread).
     */
    public TestWebSocketServer stopReading() {
        checkNotOnEventLoop();
        await(ServerConnection.onEach(openConnections(), ServerConnection::stopReading));
        return this;
    }

    // ------------------------------------------------------------------ event loop side

    private HttpServerOptions options(int port) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setReuseAddress(true)
                .setWebSocketClosingTimeout(2);
        if (sendBufferSize > 0) {
            options.setSendBufferSize(sendBufferSize);
        }
        if (tlsKeyCert != null) {
            options.setSsl(true).setKeyCertOptions(tlsKeyCert);
            if (clientTrust != null) {
                options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(clientTrust);
            }
        } else if (clientTrust != null) {
            throw new IllegalStateException("requireClientCertificate needs tls(...)");
        }
        return options;
    }

    /**
     * Handshake and setup in one place. Deliberately no webSocketHandshakeHandler: with one, Vert.x 4.5 writes the 101
     * before calling the webSocketHandler, so a client could be connected before the server counted it. Without it,
     * this handler runs first and Vert.x writes the 101 (or our rejection) afterwards.
     */
    @SuppressWarnings("deprecation")
    private void onSocket(ServerWebSocket ws) {
        handshakeAttempted(ws.headers());
        int status = stopping ? 503 : rejectStatus;
        if (status != 0) {
            handshakeRejected();
            ws.reject(status);
            return;
        }
        ServerConnection c = accept(ws, vertx.getOrCreateContext(), (connection, text) -> {
            var handler = textHandler;
            if (handler != null) {
                handler.accept(connection, text);
            }
        });
        ws.setWriteQueueMaxSize(writeQueueMaxSize);
        if (ignorePings) {
            SocketInternals.ignorePings(ws, () -> pingReceived(c));
        }
        if (ignoreCloseFrames) {
            SocketInternals.ignoreCloseFrames(ws, c::closeFrameArrived);
        }
        startSending(c);
    }

    private static void checkNotOnEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(
                    "TestWebSocketServer control methods block; do not call them on an event loop");
        }
    }

    private static boolean listens(HttpServer s) {
        try {
            await(s.listen());
            return true;
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof java.net.BindException) {
                return false;
            }
            throw e;
        }
    }

    private static <T> T await(Future<T> future) {
        return await(future.toCompletionStage().toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }
}
