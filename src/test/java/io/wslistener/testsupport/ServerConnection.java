package io.wslistener.testsupport;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * What a {@link TestWebSocketServer} saw on one accepted connection (handshake, texts, binaries, pings, pongs, errors,
 * what it sent, how it closed), and what a test does to this one socket alone. Readable from any thread; the socket
 * itself is only touched on its own event loop context.
 */
public final class ServerConnection {

    final ServerWebSocket ws;
    final Context ctx;
    final List<String> texts = Collections.synchronizedList(new ArrayList<>());
    final List<Buffer> binaries = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final AtomicLong pings = new AtomicLong();
    final AtomicLong pongs = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong written = new AtomicLong();
    final CompletableFuture<Void> autoSendDone = new CompletableFuture<>();
    final SendingServer.Paused paused = new SendingServer.Paused();
    private final int id;
    private final MultiMap headers;
    private final String path;
    private final String uri;
    private final String tlsProtocol;
    private final String clientCertificateSubject;
    private final Runnable onClose;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Short closeStatusCode;
    // messages written before the client's close frame arrived; -1 until it did
    private final AtomicLong sentBeforeCloseFrame = new AtomicLong(-1);
    private volatile boolean closedByServer;

    /** {@code onClose} runs once, on the socket's context, when it closes and before {@link #closedFuture()} does. */
    ServerConnection(int id, ServerWebSocket ws, Context ctx, Runnable onClose) {
        this.id = id;
        this.ws = ws;
        this.ctx = ctx;
        this.onClose = onClose;
        this.uri = ws.uri();
        this.headers = MultiMap.caseInsensitiveMultiMap().addAll(ws.headers());
        this.path = ws.path();
        this.tlsProtocol = ws.isSsl() ? ws.sslSession().getProtocol() : null;
        this.clientCertificateSubject = ws.isSsl() ? clientSubject(ws) : null;
    }

    /** Runs {@code action} on each connection and completes when all the futures it returned have. */
    static CompletableFuture<Void> onEach(List<ServerConnection> connections,
                                          Function<ServerConnection, CompletableFuture<Void>> action) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ServerConnection c : connections) {
            all.add(action.apply(c));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    void onClosed() {
        if (open.compareAndSet(true, false)) {
            closeStatusCode = ws.closeStatusCode();
            if (closeStatusCode != null && !closedByServer) {
                // on the socket's event loop, between two writes of a send batch: exactly what went out before it
                closeFrameArrived();
            }
            onClose.run();
            // let paused batches notice the close and fail
            paused.resumeAll();
            closed.complete(null);
        }
    }

    /** Closes the TCP connection without a close frame; completes once closed. */
    CompletableFuture<Void> drop() {
        ctx.runOnContext(v -> SocketInternals.closeWithoutCloseFrame(ws));
        return closed;
    }

    /** Stops reading the socket, TCP staying open; completes once it has stopped. */
    CompletableFuture<Void> stopReading() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            SocketInternals.stopReading(ws);
            stopped.complete(null);
        });
        return stopped;
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

    /** The client's close frame arrived (on the socket's event loop): what was sent until now went out before it. */
    void closeFrameArrived() {
        sentBeforeCloseFrame.compareAndSet(-1, sent.get());
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
     * Close status code as Vert.x reports it once closed: the code of the close frame received from the client, 1006 if
     * the server started a close the client never answered, null while open or if the TCP connection just went away.
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

    /**
     * Data messages of send batches whose write succeeded: in the TCP stream ahead of the server's close frame, where
     * {@link #messagesSent()} also counts writes that failed because the close had begun.
     */
    public long messagesWritten() {
        return written.get();
    }

    /** Whether the client closed this socket with a close frame. */
    public boolean closeFrameReceived() {
        return sentBeforeCloseFrame.get() >= 0;
    }

    /**
     * How many messages of the send batches were written to this socket before the client's close frame arrived: with
     * {@link TestWebSocketServer#sendTexts} or {@link TestWebSocketServer#autoSendOnConnect} numbering from 1, the
     * number of the last one the server sent before it saw the close frame (all of them reach the client ahead of the
     * close reply); -1 while no close frame came.
     */
    public long sentBeforeCloseFrame() {
        return sentBeforeCloseFrame.get();
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

    private static String clientSubject(ServerWebSocket ws) {
        try {
            List<Certificate> chain = ws.peerCertificates();
            return chain == null || chain.isEmpty() ? null
                    : ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate
        }
    }
}
