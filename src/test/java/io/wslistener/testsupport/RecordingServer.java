package io.wslistener.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;

/**
 * What a {@link TestWebSocketServer} saw, across restarts: handshake headers, accepted connections, texts and pings
 * from clients, counters, and {@link PathCounts} per request path. Readable from any thread at any time; the server
 * records a socket before its 101 response is written. The base of the server so that tests read it as
 * {@code server.openSockets()}, while the controls live in the subclasses.
 */
abstract class RecordingServer {

    private final List<ServerConnection> connections = new CopyOnWriteArrayList<>();
    private final List<MultiMap> handshakeHeaders = new CopyOnWriteArrayList<>();
    private final List<String> receivedTexts = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger openSockets = new AtomicInteger();
    private final AtomicInteger maxConcurrentSockets = new AtomicInteger();
    private final AtomicInteger totalConnections = new AtomicInteger();
    private final AtomicInteger rejectedHandshakes = new AtomicInteger();
    private final AtomicLong pingsReceived = new AtomicLong();
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final Map<String, PathCounts> pathCounts = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ recording (event loop side)

    void tcpConnectionAccepted() {
        tcpConnections.incrementAndGet();
    }

    void handshakeAttempted(MultiMap headers) {
        handshakeHeaders.add(MultiMap.caseInsensitiveMultiMap().addAll(headers));
    }

    void handshakeRejected() {
        rejectedHandshakes.incrementAndGet();
    }

    /**
     * Counts an accepted socket and records everything it receives from now on; {@code afterText} runs after each text
     * was recorded. Called on the socket's context before its 101 response is written.
     */
    ServerConnection accept(ServerWebSocket ws, Context ctx, BiConsumer<ServerConnection, String> afterText) {
        PathCounts counts = counts(ws.path());
        ServerConnection c = new ServerConnection(totalConnections.incrementAndGet(), ws, ctx, () -> {
            openSockets.decrementAndGet();
            counts.closed();
        });
        int open = openSockets.incrementAndGet();
        maxConcurrentSockets.accumulateAndGet(open, Math::max);
        counts.opened();
        connections.add(c);
        ws.textMessageHandler(text -> {
            c.texts.add(text);
            receivedTexts.add(text);
            afterText.accept(c, text);
        });
        ws.binaryMessageHandler(c.binaries::add);
        ws.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.PING) {
                pingReceived(c);
            } else if (frame.type() == WebSocketFrameType.PONG) {
                c.pongs.incrementAndGet();
            }
        });
        ws.exceptionHandler(c.errors::add);
        ws.closeHandler(v -> c.onClosed());
        return c;
    }

    void pingReceived(ServerConnection c) {
        c.pings.incrementAndGet();
        pingsReceived.incrementAndGet();
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

    /** Data messages written by send batches, auto-send and {@code sendEvery}, over all connections. */
    public long messagesSent() {
        long sent = 0;
        for (ServerConnection c : connections) {
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

    /** The TLS protocol (TLSv1.3, TLSv1.2) of each connection accepted over TLS, oldest first. */
    public List<String> tlsProtocols() {
        return known(ServerConnection::tlsProtocol);
    }

    /** With a required client certificate: the subject of each accepted connection's client certificate. */
    public List<String> clientCertificateSubjects() {
        return known(ServerConnection::clientCertificateSubject);
    }

    /** Handshakes rejected because of {@code rejectHandshakesWith(int)}. */
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

    /** Every accepted connection, oldest first, open or closed. */
    public List<ServerConnection> connections() {
        return List.copyOf(connections);
    }

    /** The latest accepted connection, or null. */
    public ServerConnection lastConnection() {
        List<ServerConnection> all = connections();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Connections open now. */
    public List<ServerConnection> openConnections() {
        List<ServerConnection> open = new ArrayList<>();
        for (ServerConnection c : connections) {
            if (c.isOpen()) {
                open.add(c);
            }
        }
        return open;
    }

    /** The non-null values of one connection property, oldest connection first. */
    private List<String> known(Function<ServerConnection, String> property) {
        List<String> out = new ArrayList<>();
        for (ServerConnection c : connections) {
            String value = property.apply(c);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }
}
