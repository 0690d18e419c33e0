package io.wslistener.testsupport;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

/**
 * An in-process Vert.x WebSocket server on 127.0.0.1 for real-network tests.
 *
 * <p>Control methods ({@link #start()}, {@link #stop()}, ...) are meant to be called from the test thread: they wait
 * (bounded) for the server and refuse to run on a Vert.x event loop thread. Sending methods never block: they return a
 * {@link CompletableFuture} and do all socket work on the socket's own event loop context, writing only while
 * {@code writeQueueFull()} is false and continuing from the drain handler, so nothing is buffered without bound.</p>
 *
 * <p>Everything recorded (handshake headers, texts, pings, counters) can be read from any thread at any time. A socket
 * is counted and recorded before its 101 response is written, so once a client is connected the counters show it.</p>
 *
 * <p>Besides scripted sends it can play a steady feed ({@link #sendEvery}), serve TLS ({@link #tls}, optionally
 * requiring client certificates), stop reading like a half-open peer ({@link #stopReading()}) and count sockets per
 * path ({@link #counts(String)}): the server, not the client, is then the witness that there were never two live
 * sockets for one feed. Clients in other JVMs (the failover tests) connect to it like any other client.</p>
 *
 * <p>{@link #dropAll()} uses Vert.x internal API ({@link WebSocketInternal}) to close a socket's TCP connection without a
 * close frame; {@link #sendRawFrame(WebSocketFrame)} copies frames with {@link WebSocketFrameImpl}.</p>
 */
public final class TestWebSocketServer implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final Vertx vertx;
    private final boolean ownsVertx;

    // configuration (effective for sockets/servers created afterwards)
    private volatile int writeQueueMaxSize = 8 * 1024;
    private volatile int sendBufferSize = -1;
    private volatile int rejectStatus; // 0 = accept
    private volatile AutoSend autoSend;
    private volatile Periodic periodic;
    private volatile KeyCertOptions tlsKeyCert;
    private volatile TrustOptions clientTrust;
    private volatile boolean silent;
    private volatile boolean ignorePings;
    private volatile boolean ignoreCloseFrames;
    private volatile java.util.function.BiConsumer<Connection, String> textHandler;
    private volatile boolean stopping;

    // state
    private volatile HttpServer server;
    private volatile int port = -1;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<MultiMap> handshakeHeaders = new CopyOnWriteArrayList<>();
    private final List<String> receivedTexts = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger openSockets = new AtomicInteger();
    private final AtomicInteger maxConcurrentSockets = new AtomicInteger();
    private final AtomicInteger totalConnections = new AtomicInteger();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final AtomicLong pingsReceived = new AtomicLong();
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final Map<String, PathCounts> pathCounts = new ConcurrentHashMap<>();
    private final AtomicBoolean writeQueueFullObserved = new AtomicBoolean();

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
     * want an application-level heartbeat do). Vert.x answers pings by itself, so the ping frames are taken out of the
     * Netty pipeline before Vert.x sees them.
     */
    public TestWebSocketServer ignorePings() {
        this.ignorePings = true;
        return this;
    }

    /**
     * Makes sockets accepted from now on never answer a client's close frame, like a server that ignores it: the frame
     * is recorded ({@link Connection#sentBeforeCloseFrame()}) and taken out of the Netty pipeline before Vert.x sees it,
     * so the socket stays open and send batches go on.
     */
    public TestWebSocketServer ignoreCloseFrames() {
        this.ignoreCloseFrames = true;
        return this;
    }

    /**
     * Calls {@code handler} on the socket's event loop for every text message received (after it was recorded), e.g.
     * to answer an application-level ping with {@link Connection#sendText(String)}.
     */
    public TestWebSocketServer onText(java.util.function.BiConsumer<Connection, String> handler) {
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
                options.setClientAuth(io.vertx.core.http.ClientAuth.REQUIRED).setTrustOptions(clientTrust);
            }
        } else if (clientTrust != null) {
            throw new IllegalStateException("requireClientCertificate needs tls(...)");
        }
        HttpServer s = vertx.createHttpServer(options)
                // called once the TCP connection is up and, with TLS, its handshake completed
                .connectionHandler(connection -> tcpConnections.incrementAndGet())
                .webSocketHandler(this::onSocket)
                .requestHandler(req -> req.response().setStatusCode(426).end("WebSocket only"));
        if (port == 0) {
            await(s.listen());
        } else {
            // coming back on a given port: the kernel may not have let go of it yet right after a stop
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
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

    // ------------------------------------------------------------------ sending

    /**
     * Sends {@code count} text messages, {@code body.apply(1..count)}, to every socket open now, as fast as each
     * socket drains. Completes with the number of sockets once every message has been written to every one of them;
     * fails if a socket closed first. Pauses (without completing) while the server is {@link #silent()}.
     */
    public CompletableFuture<Integer> sendTexts(int count, IntFunction<String> body) {
        Objects.requireNonNull(body);
        return toAll(c -> startPump(c, count, i -> c.ws.writeTextMessage(body.apply(i))));
    }

    /** Like {@link #sendTexts} with binary messages. */
    public CompletableFuture<Integer> sendBinary(int count, IntFunction<Buffer> body) {
        Objects.requireNonNull(body);
        return toAll(c -> startPump(c, count, i -> c.ws.writeBinaryMessage(body.apply(i))));
    }

    /**
     * Makes every socket accepted from now on receive {@code count} text messages {@code body.apply(1..count)},
     * starting right after the handshake (each connection has its own sequence starting at 1). The completion of
     * each connection's batch is {@link Connection#autoSendDone()}. {@code count <= 0} switches auto-send off.
     */
    public TestWebSocketServer autoSendOnConnect(int count, IntFunction<String> body) {
        this.autoSend = count > 0 ? new AutoSend(count, Objects.requireNonNull(body)) : null;
        return this;
    }

    /**
     * Makes every socket accepted from now on receive {@code body.apply(1)}, {@code body.apply(2)}, ... one every
     * {@code interval} while it is open, like a live feed (each connection has its own sequence starting at 1; a tick
     * while {@link #silent()} sends nothing and skips no number). Not bounded by the write queue: keep the rate low.
     * {@code null} switches it off for new connections.
     */
    public TestWebSocketServer sendEvery(Duration interval, IntFunction<String> body) {
        this.periodic = interval == null ? null : new Periodic(interval.toMillis(), Objects.requireNonNull(body));
        return this;
    }

    /** Switches auto-send off for new connections (batches already running continue). */
    public TestWebSocketServer stopAutoSend() {
        this.autoSend = null;
        return this;
    }

    /**
     * Writes one frame as is (e.g. a lone continuation frame, a non-final text frame, a ping, invalid UTF-8) to every
     * open socket. The frame is copied per socket. Completes with the number of sockets written to.
     */
    public CompletableFuture<Integer> sendRawFrame(WebSocketFrame frame) {
        return sendRawFrames(frame);
    }

    /** Writes these frames in this order, back to back, to every open socket (e.g. a fragmented message). */
    public CompletableFuture<Integer> sendRawFrames(WebSocketFrame... frames) {
        return toAll(c -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            c.ctx.runOnContext(v -> {
                try {
                    Future<Void> last = Future.succeededFuture();
                    for (WebSocketFrame f : frames) {
                        last = c.ws.writeFrame(copy(f));
                    }
                    last.onComplete(ar -> complete(done, ar.failed() ? ar.cause() : null));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            return done;
        });
    }

    /**
     * Sends a close frame with this code and reason to every open socket; the server keeps listening. Completes once
     * all those sockets are closed.
     */
    public CompletableFuture<Void> closeAll(short code, String reason) {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (Connection c : openConnections()) {
            closed.add(c.closed);
            c.closedByServer = true;
            c.ctx.runOnContext(v -> c.ws.close(code, reason));
        }
        return CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Closes every socket's TCP connection abruptly, without a close frame; the server keeps listening. Completes once
     * all those sockets are closed.
     */
    public CompletableFuture<Void> dropAll() {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (Connection c : openConnections()) {
            closed.add(c.closed);
            // close() on Vert.x's own handler context skips that handler, whose close() would send a close frame
            c.ctx.runOnContext(v -> ((WebSocketInternal) c.ws).channelHandlerContext().close());
        }
        return CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Stops reading every open socket, like a half-open peer: pings are no longer read, so no pong goes back, while
     * TCP stays open. Returns once every socket has stopped (what the client sends afterwards stays unread). Uses
     * Vert.x internal API ({@link WebSocketInternal}).
     */
    public TestWebSocketServer stopReading() {
        checkNotOnEventLoop();
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (Connection c : openConnections()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            stopped.add(done);
            c.ctx.runOnContext(v -> {
                ((WebSocketInternal) c.ws).channelHandlerContext().channel().config().setAutoRead(false);
                done.complete(null);
            });
        }
        await(CompletableFuture.allOf(stopped.toArray(new CompletableFuture<?>[0])));
        return this;
    }

    /**
     * Silent mode: running and future sendTexts/sendBinary/auto-send batches pause (their futures stay pending); pings
     * are still answered (Vert.x does that by itself). Raw frames and close frames are still sent.
     */
    public TestWebSocketServer silent() {
        this.silent = true;
        return this;
    }

    /** Leaves silent mode: paused batches continue where they stopped. */
    public TestWebSocketServer speak() {
        this.silent = false;
        for (Connection c : openConnections()) {
            c.ctx.runOnContext(v -> c.resumeWaiting(c.waitingForSpeak));
        }
        return this;
    }

    /** Whether silent mode is on. */
    public boolean isSilent() {
        return silent;
    }

    // ------------------------------------------------------------------ observations

    /** Sockets open now. */
    public int openSockets() {
        return openSockets.get();
    }

    /** The most sockets that were ever open at the same time. */
    public int maxConcurrentSockets() {
        return maxConcurrentSockets.get();
    }

    /** Sockets accepted (handshake completed) since creation, across restarts. */
    public int totalConnections() {
        return totalConnections.get();
    }

    /** TCP connections accepted (with TLS: whose TLS handshake completed; a WebSocket upgrade may follow or not). */
    public int tcpConnections() {
        return tcpConnections.get();
    }

    /** Data messages written by send batches, auto-send and {@link #sendEvery}, over all connections. */
    public long messagesSent() {
        long sent = 0;
        for (Connection c : connections) {
            sent += c.messagesSent();
        }
        return sent;
    }

    /** The counts of one request path; all zero for a path never connected to. */
    public PathCounts counts(String path) {
        return pathCounts.computeIfAbsent(path, p -> new PathCounts());
    }

    /** Paths with at least one socket open now. */
    public long connectedPaths() {
        return pathCounts.values().stream().filter(c -> c.open() > 0).count();
    }

    /** The most sockets ever open at once on any single path. */
    public int maxOpenOnAnyPath() {
        return pathCounts.values().stream().mapToInt(PathCounts::maxOpen).max().orElse(0);
    }

    /** The TLS protocol (TLSv1.3, TLSv1.2) of each connection accepted over {@link #tls}, oldest first. */
    public List<String> tlsProtocols() {
        List<String> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.tlsProtocol() != null) {
                out.add(c.tlsProtocol());
            }
        }
        return out;
    }

    /** With {@link #requireClientCertificate}: the subject of each accepted connection's client certificate. */
    public List<String> clientCertificateSubjects() {
        List<String> out = new ArrayList<>();
        for (Connection c : connections) {
            if (c.clientCertificateSubject() != null) {
                out.add(c.clientCertificateSubject());
            }
        }
        return out;
    }

    /** Handshakes rejected because of {@link #rejectHandshakesWith(int)}. */
    public int rejectedHandshakes() {
        return rejectedHandshakes.get();
    }

    /** Headers of every handshake attempt, accepted or rejected, in arrival order (case-insensitive maps). */
    public List<MultiMap> handshakeHeaders() {
        return List.copyOf(handshakeHeaders);
    }

    /** Headers of the latest handshake attempt, or null if none. */
    public MultiMap lastHandshakeHeaders() {
        List<MultiMap> all = handshakeHeaders();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Every text message received from clients, over all connections, in arrival order. */
    public List<String> receivedTexts() {
        synchronized (receivedTexts) {
            return List.copyOf(receivedTexts);
        }
    }

    /** Ping frames received from clients over all connections (each answered with a pong by Vert.x). */
    public long pingsReceived() {
        return pingsReceived.get();
    }

    /** True once a send batch found a socket's write queue full, i.e. the client stopped reading fast enough. */
    public boolean writeQueueFullObserved() {
        return writeQueueFullObserved.get();
    }

    /** Every accepted connection, oldest first, open or closed. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The latest accepted connection, or null. */
    public Connection lastConnection() {
        List<Connection> all = connections();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Connections open now. */
    public List<Connection> openConnections() {
        List<Connection> open = new ArrayList<>();
        for (Connection c : connections) {
            if (c.isOpen()) {
                open.add(c);
            }
        }
        return open;
    }

    // ------------------------------------------------------------------ event loop side

    /**
     * Handshake and setup in one place. Deliberately no webSocketHandshakeHandler: with one, Vert.x 4.5 writes the 101
     * before calling the webSocketHandler, so a client could be connected before the server counted it. Without it,
     * this handler runs first and Vert.x writes the 101 (or our rejection) afterwards.
     */
    @SuppressWarnings("deprecation")
    private void onSocket(ServerWebSocket ws) {
        handshakeHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()));
        int status = stopping ? 503 : rejectStatus;
        if (status != 0) {
            rejectedHandshakes.incrementAndGet();
            ws.reject(status);
            return;
        }
        Connection c = new Connection(totalConnections.incrementAndGet(), ws, vertx.getOrCreateContext(),
                MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()), ws.path());
        int open = openSockets.incrementAndGet();
        maxConcurrentSockets.accumulateAndGet(open, Math::max);
        c.pathCounts.opened();
        connections.add(c);
        ws.setWriteQueueMaxSize(writeQueueMaxSize);
        ws.textMessageHandler(text -> {
            c.texts.add(text);
            receivedTexts.add(text);
            var handler = textHandler;
            if (handler != null) {
                handler.accept(c, text);
            }
        });
        if (ignorePings) {
            io.netty.channel.ChannelHandlerContext vertxHandler = ((WebSocketInternal) ws).channelHandlerContext();
            vertxHandler.pipeline().addBefore(vertxHandler.name(), "test-ignore-pings",
                    new io.netty.channel.ChannelInboundHandlerAdapter() {

                        @Override
                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof io.netty.handler.codec.http.websocketx.PingWebSocketFrame ping) {
                                ping.release();
                                c.pings.incrementAndGet();
                                pingsReceived.incrementAndGet();
                                return;
                            }
                            ctx.fireChannelRead(msg);
                        }
                    });
        }
        if (ignoreCloseFrames) {
            io.netty.channel.ChannelHandlerContext vertxHandler = ((WebSocketInternal) ws).channelHandlerContext();
            vertxHandler.pipeline().addBefore(vertxHandler.name(), "test-ignore-close",
                    new io.netty.channel.ChannelInboundHandlerAdapter() {

                        @Override
                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close) {
                                close.release();
                                c.sentBeforeCloseFrame.compareAndSet(-1, c.sent.get());
                                return;
                            }
                            ctx.fireChannelRead(msg);
                        }
                    });
        }
        ws.binaryMessageHandler(c.binaries::add);
        ws.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING) {
                c.pings.incrementAndGet();
                pingsReceived.incrementAndGet();
            } else if (frame.type() == WebSocketFrameType.PONG) {
                c.pongs.incrementAndGet();
            }
        });
        ws.drainHandler(v -> c.resumeWaiting(c.waitingForDrain));
        ws.exceptionHandler(c.errors::add);
        ws.closeHandler(v -> c.onClosed());
        Periodic every = periodic;
        if (every != null) {
            int[] seq = { 0 };
            long timer = vertx.setPeriodic(every.millis, t -> {
                if (c.isOpen() && !silent) {
                    ws.writeTextMessage(every.body.apply(++seq[0]));
                    c.sent.incrementAndGet();
                }
            });
            c.closed.whenComplete((v, e) -> vertx.cancelTimer(timer));
        }
        AutoSend auto = autoSend;
        if (auto != null) {
            startPump(c, auto.count, i -> ws.writeTextMessage(auto.body.apply(i))).whenComplete((r, t) -> {
                if (t != null) {
                    c.autoSendDone.completeExceptionally(t);
                } else {
                    c.autoSendDone.complete(null);
                }
            });
        }
    }

    private CompletableFuture<Void> startPump(Connection c, int count, IntFunction<Future<Void>> write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (count <= 0) {
            done.complete(null);
            return done;
        }
        c.ctx.runOnContext(v -> pump(c, 1, count, write, done));
        return done;
    }

    /** Runs on the socket's context: writes until done, the queue is full (wait for drain) or silent (wait). */
    private void pump(Connection c, int next, int count, IntFunction<Future<Void>> write,
                      CompletableFuture<Void> done) {
        int budget = 512; // give other work on the event loop a turn now and then
        int i = next;
        Future<Void> last = null;
        try {
            while (i <= count) {
                if (!c.isOpen()) {
                    done.completeExceptionally(new IllegalStateException(
                            "connection " + c.id + " closed after " + (i - 1) + " of " + count + " messages"));
                    return;
                }
                int resumeAt = i;
                if (silent) {
                    c.waitingForSpeak.add(() -> pump(c, resumeAt, count, write, done));
                    return;
                }
                if (c.ws.writeQueueFull()) {
                    writeQueueFullObserved.set(true);
                    c.waitingForDrain.add(() -> pump(c, resumeAt, count, write, done));
                    return;
                }
                if (budget-- == 0) {
                    c.ctx.runOnContext(v -> pump(c, resumeAt, count, write, done));
                    return;
                }
                last = write.apply(i);
                c.sent.incrementAndGet();
                last.onSuccess(v -> c.written.incrementAndGet());
                i++;
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        if (last == null) {
            done.complete(null);
        } else {
            last.onComplete(ar -> complete(done, ar.failed() ? ar.cause() : null));
        }
    }

    private CompletableFuture<Integer> toAll(java.util.function.Function<Connection, CompletableFuture<Void>> action) {
        List<Connection> targets = openConnections();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Connection c : targets) {
            all.add(action.apply(c));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> targets.size());
    }

    private static WebSocketFrame copy(WebSocketFrame f) {
        return new WebSocketFrameImpl(f.type(), f.binaryData().copy().getByteBuf(), f.isFinal());
    }

    private static void complete(CompletableFuture<Void> f, Throwable failure) {
        if (failure != null) {
            f.completeExceptionally(failure);
        } else {
            f.complete(null);
        }
    }

    private static String clientSubject(ServerWebSocket ws) {
        try {
            List<Certificate> chain = ws.peerCertificates();
            return chain == null || chain.isEmpty() ? null
                    : ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate
        }
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

    private static final class Periodic {

        final long millis;
        final IntFunction<String> body;

        Periodic(long millis, IntFunction<String> body) {
            this.millis = millis;
            this.body = body;
        }
    }

    /** Sockets of one request path: open now, the most ever open at once, accepted in all, when the last came. */
    public static final class PathCounts {

        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger maxOpen = new AtomicInteger();
        private final AtomicInteger accepted = new AtomicInteger();
        private volatile long lastAcceptedNanos;

        private void opened() {
            // open's increment returns the exact count at that instant, so the max is exact whatever the thread
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            lastAcceptedNanos = System.nanoTime();
            accepted.incrementAndGet();
        }

        public int open() {
            return open.get();
        }

        public int maxOpen() {
            return maxOpen.get();
        }

        public int accepted() {
            return accepted.get();
        }

        /** When the last socket on this path was accepted, in {@link System#nanoTime()}; 0 if none. */
        public long lastAcceptedNanos() {
            return lastAcceptedNanos;
        }

        @Override
        public String toString() {
            return "open=" + open() + " max=" + maxOpen() + " accepted=" + accepted();
        }
    }

    private static final class AutoSend {

        final int count;
        final IntFunction<String> body;

        AutoSend(int count, IntFunction<String> body) {
            this.count = count;
            this.body = body;
        }
    }

    /** What the server saw on one accepted connection. Readable from any thread. */
    public final class Connection {

        private final int id;
        private final ServerWebSocket ws;
        private final Context ctx;
        private final MultiMap headers;
        private final String path;
        private final String uri;
        private final PathCounts pathCounts;
        private final String tlsProtocol;
        private final String clientCertificateSubject;
        private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
        private final List<Buffer> binaries = Collections.synchronizedList(new ArrayList<>());
        private final List<Throwable> errors = new CopyOnWriteArrayList<>();
        private final AtomicLong pings = new AtomicLong();
        private final AtomicLong pongs = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong written = new AtomicLong();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final CompletableFuture<Void> autoSendDone = new CompletableFuture<>();
        // messages written before the client's close frame arrived; -1 until it did
        private final AtomicLong sentBeforeCloseFrame = new AtomicLong(-1);
        private volatile boolean closedByServer;
        // touched on ctx only
        private final List<Runnable> waitingForDrain = new ArrayList<>();
        private final List<Runnable> waitingForSpeak = new ArrayList<>();
        private volatile Short closeStatusCode;

        private Connection(int id, ServerWebSocket ws, Context ctx, MultiMap headers, String path) {
            this.id = id;
            this.uri = ws.uri();
            this.ws = ws;
            this.ctx = ctx;
            this.headers = headers;
            this.path = path;
            this.pathCounts = counts(path);
            this.tlsProtocol = ws.isSsl() ? ws.sslSession().getProtocol() : null;
            this.clientCertificateSubject = ws.isSsl() ? clientSubject(ws) : null;
        }

        private void onClosed() {
            if (open.compareAndSet(true, false)) {
                closeStatusCode = ws.closeStatusCode();
                if (closeStatusCode != null && !closedByServer) {
                    // on the socket's event loop, between two writes of a send batch: exactly what went out before
                    sentBeforeCloseFrame.set(sent.get());
                }
                openSockets.decrementAndGet();
                pathCounts.open.decrementAndGet();
                // let paused batches notice the close and fail
                resumeWaiting(waitingForDrain);
                resumeWaiting(waitingForSpeak);
                closed.complete(null);
            }
        }

        private void resumeWaiting(List<Runnable> waiting) {
            List<Runnable> copy = new ArrayList<>(waiting);
            waiting.clear();
            copy.forEach(Runnable::run);
        }

        /** Sends a text message on this socket (from any thread). */
        public void sendText(String text) {
            ctx.runOnContext(v -> ws.writeTextMessage(text));
        }

        /** Closes this socket with a close frame (from any thread). */
        public void close(short code, String reason) {
            closedByServer = true;
            ctx.runOnContext(v -> ws.close(code, reason));
        }

        /** 1 for the first connection the server accepted, then 2, ... */
        public int id() {
            return id;
        }

        public boolean isOpen() {
            return open.get();
        }

        /** Completes when the socket is closed. */
        public CompletableFuture<Void> closedFuture() {
            return closed;
        }

        /**
         * Close status code as Vert.x reports it once closed: the code of the close frame received from the client,
         * 1006 if the server started a close the client never answered, null while open or if the TCP connection just
         * went away.
         */
        public Short closeStatusCode() {
            return closeStatusCode;
        }

        public MultiMap handshakeHeaders() {
            return headers;
        }

        /** The TLS protocol of this connection (TLSv1.3, TLSv1.2), or null without TLS. */
        public String tlsProtocol() {
            return tlsProtocol;
        }

        /** The subject of the client certificate presented on this connection, or null if none. */
        public String clientCertificateSubject() {
            return clientCertificateSubject;
        }

        public String path() {
            return path;
        }

        /** The handshake's request URI: path and query. */
        public String uri() {
            return uri;
        }

        public List<String> receivedTexts() {
            synchronized (texts) {
                return List.copyOf(texts);
            }
        }

        public List<Buffer> receivedBinaries() {
            synchronized (binaries) {
                return List.copyOf(binaries);
            }
        }

        public long pingsReceived() {
            return pings.get();
        }

        public long pongsReceived() {
            return pongs.get();
        }

        /** Data messages written to this socket by send batches. */
        public long messagesSent() {
            return sent.get();
        }

        /** Whether the client closed this socket with a close frame (the server then answered it). */
        public boolean closeFrameReceived() {
            return sentBeforeCloseFrame.get() >= 0;
        }

        /**
         * How many messages of the send batches were written to this socket before the client's close frame arrived:
         * with {@link #sendTexts} or {@link #autoSendOnConnect} numbering from 1, the number of the last one the server
         * sent before it saw the close frame (all of them reach the client ahead of the close reply); -1 while no close
         * frame came.
         */
        public long sentBeforeCloseFrame() {
            return sentBeforeCloseFrame.get();
        }

        /**
         * Data messages of send batches whose write succeeded: in the TCP stream ahead of the server's close frame,
         * where {@link #messagesSent()} also counts writes that failed because the close had begun.
         */
        public long messagesWritten() {
            return written.get();
        }

        public List<Throwable> errors() {
            return List.copyOf(errors);
        }

        /** Completion of this connection's auto-send batch (never completes if auto-send was off at accept time). */
        public CompletableFuture<Void> autoSendDone() {
            return autoSendDone;
        }

        @Override
        public String toString() {
            return "Connection#" + id + (isOpen() ? "(open)" : "(closed " + closeStatusCode + ")");
        }
    }
}
