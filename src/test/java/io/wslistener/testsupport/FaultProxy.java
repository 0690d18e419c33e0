package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) in front of an upstream host:port, with faults that a test can switch at
 * any time from its own thread.
 *
 * <p>All I/O runs on one dedicated selector thread (plain java.nio, no Vert.x event loop involved). Every control method
 * ({@link #pass()}, {@link #blackHole()}, {@link #resetAll()}, {@link #refuse()}, ...) is executed on that thread and
 * returns only once it has taken effect, so a test can assert right after calling it.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>pass</b> (initial): bytes, half-closes (FIN) and aborts are forwarded both ways.</li>
 *   <li><b>black hole</b>: every client socket, existing or new, stays open, but nothing is forwarded in either
 *   direction: not data, not FIN, not RST, and no new upstream connection is opened. The proxy keeps reading into a
 *   bounded per-direction buffer ({@value #BUFFER_SIZE} bytes; beyond that it stops reading so TCP flow control pushes
 *   back on the sender). Held bytes are never delivered while the black hole lasts. Like a healed network partition,
 *   {@link #pass()} then delivers what was held, in order. A connection accepted during the black hole whose client
 *   has already closed its side (or failed) by the time of {@code pass()} is simply closed and never opened upstream, so
 *   stale handshakes of clients that gave up do not reach the server. Tip: to make sure an upstream server does not
 *   get stale bytes of half-open connections, call {@link #resetAll()} before {@link #pass()}.</li>
 * </ul>
 * <p>Independently of the mode the proxy can {@link #refuse()} new connections (the listening socket is closed, so
 * connects get "connection refused"); {@link #accept()} or {@link #pass()} bind again on the same port.</p>
 *
 * <p>If the upstream cannot be reached when a client connects (in pass mode), the client connection is aborted with a
 * TCP RST.</p>
 */
public final class FaultProxy implements AutoCloseable {

    /** Forwarding mode, see the class comment. */
    public enum Mode {
        PASS, BLACK_HOLE
    }

    /** Size of each per-connection, per-direction buffer (also the most a black hole holds per direction). */
    public static final int BUFFER_SIZE = 64 * 1024;

    private static final long CONTROL_TIMEOUT_SECONDS = 10;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private final Selector selector;
    private final Thread loopThread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Set<Conn> conns = new LinkedHashSet<>(); // selector thread only
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicLong totalAccepted = new AtomicLong();
    private final AtomicLong bytesToUpstream = new AtomicLong();
    private final AtomicLong bytesToClients = new AtomicLong();
    private final int port;

    private volatile String upstreamHost;
    private volatile int upstreamPort;
    private volatile Mode mode = Mode.PASS;
    private volatile boolean running = true;
    private ServerSocketChannel server; // selector thread only (after construction)

    /** Starts a proxy on 127.0.0.1 (ephemeral port) forwarding to 127.0.0.1:upstreamPort. */
    public FaultProxy(int upstreamPort) {
        this("127.0.0.1", upstreamPort);
    }

    /** Starts a proxy on 127.0.0.1 (ephemeral port) forwarding to upstreamHost:upstreamPort. */
    public FaultProxy(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        try {
            this.selector = Selector.open();
            this.server = bind(0);
            this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FaultProxy", e);
        }
        this.loopThread = new Thread(this::loop, "fault-proxy-" + INSTANCES.incrementAndGet() + "-:" + port);
        this.loopThread.setDaemon(true);
        this.loopThread.start();
    }

    // ------------------------------------------------------------------ public API

    /** The port the proxy listens on (127.0.0.1); stays the same across {@link #refuse()} / {@link #accept()}. */
    public int port() {
        return port;
    }

    /** Current forwarding mode. */
    public Mode mode() {
        return mode;
    }

    /** Whether the listening socket is currently open. */
    public boolean isAccepting() {
        return call(() -> server != null);
    }

    /** Number of client-side connections currently open (accepted and not yet closed by the proxy). */
    public int activeConnections() {
        return activeConnections.get();
    }

    /** Number of client connections accepted since the proxy started. */
    public long totalAccepted() {
        return totalAccepted.get();
    }

    /** Bytes written to upstream sockets since the proxy started. */
    public long bytesToUpstream() {
        return bytesToUpstream.get();
    }

    /** Bytes written to client sockets since the proxy started. */
    public long bytesToClients() {
        return bytesToClients.get();
    }

    /** Changes the upstream port (same host) for connections opened upstream from now on. */
    public FaultProxy setUpstream(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        return this;
    }

    /** Changes the upstream for connections opened upstream from now on. */
    public FaultProxy setUpstream(String upstreamHost, int upstreamPort) {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        return this;
    }

    /**
     * Forwards bytes both ways on existing and new connections (delivering anything a black hole held) and, if the
     * proxy was refusing, binds again on the same port.
     */
    public FaultProxy pass() {
        run(() -> {
            mode = Mode.PASS;
            ensureListening();
            processAll();
        });
        return this;
    }

    /** Keeps every client socket open but forwards nothing in either direction; see the class comment. */
    public FaultProxy blackHole() {
        run(() -> {
            mode = Mode.BLACK_HOLE;
            processAll();
        });
        return this;
    }

    /**
     * Aborts every current connection with a TCP RST on both sides (SO_LINGER 0, then close). The mode and the
     * listening socket are unchanged. When this returns the RSTs have been sent.
     */
    public FaultProxy resetAll() {
        run(() -> {
            for (Conn c : new ArrayList<>(conns)) {
                abort(c);
            }
            flushClosedChannels();
        });
        return this;
    }

    /**
     * Closes the listening socket so new connects get "connection refused"; existing connections keep going.
     * When this returns the port is no longer listening.
     */
    public FaultProxy refuse() {
        run(() -> {
            if (server != null) {
                closeQuietly(server);
                server = null;
                flushClosedChannels();
            }
        });
        return this;
    }

    /** Binds the listening socket again on the same port (after {@link #refuse()}), without changing the mode. */
    public FaultProxy accept() {
        run(this::ensureListening);
        return this;
    }

    /** Stops the proxy: closes the listening socket and aborts (RST) every connection. Idempotent. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        try {
            run(() -> {
                for (Conn c : new ArrayList<>(conns)) {
                    abort(c);
                }
                if (server != null) {
                    closeQuietly(server);
                    server = null;
                }
                flushClosedChannels();
                running = false;
            });
        } finally {
            running = false;
            selector.wakeup();
            try {
                loopThread.join(TimeUnit.SECONDS.toMillis(CONTROL_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(selector);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[127.0.0.1:" + port + " -> " + upstreamHost + ":" + upstreamPort + ", " + mode
                + ", active=" + activeConnections.get() + ", accepted=" + totalAccepted.get() + "]";
    }

    // ------------------------------------------------------------------ control plumbing

    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    private <T> T call(Supplier<T> task) {
        if (Thread.currentThread() == loopThread) {
            return task.get();
        }
        if (!running) {
            throw new IllegalStateException("FaultProxy is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        selector.wakeup();
        try {
            return result.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("FaultProxy selector thread did not answer", e);
        }
    }

    private ServerSocketChannel bind(int bindPort) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(bindAddress, bindPort), 128);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_ACCEPT);
            return ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private void ensureListening() {
        if (server == null) {
            try {
                server = bind(port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind FaultProxy again on 127.0.0.1:" + port, e);
            }
        }
    }

    /** Lets the selector deregister cancelled keys, which really closes their sockets (JDK defers it). */
    private void flushClosedChannels() {
        try {
            selector.selectNow();
            // keys selected by selectNow are handled by the main loop (they stay in selectedKeys)
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    // ------------------------------------------------------------------ selector loop

    private void loop() {
        try {
            while (running) {
                selector.select();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.channel() instanceof ServerSocketChannel) {
                            if (key.isAcceptable()) {
                                acceptAll((ServerSocketChannel) key.channel());
                            }
                        } else {
                            Conn c = (Conn) key.attachment();
                            if (key.isValid() && key.isConnectable() && key.channel() == c.upstream) {
                                finishConnect(c);
                            }
                            process(c);
                        }
                    } catch (CancelledKeyException ignored) {
                        // channel closed meanwhile
                    }
                }
            }
        } catch (ClosedSelectorException ignored) {
            // closing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run(); // let waiting callers return
            }
        }
    }

    private void acceptAll(ServerSocketChannel ch) {
        while (true) {
            SocketChannel client;
            try {
                client = ch.accept();
            } catch (IOException e) {
                return;
            }
            if (client == null) {
                return;
            }
            totalAccepted.incrementAndGet();
            activeConnections.incrementAndGet();
            Conn c = new Conn(client);
            conns.add(c);
            try {
                client.configureBlocking(false);
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.clientKey = client.register(selector, 0, c);
            } catch (IOException e) {
                abort(c);
                continue;
            }
            if (mode == Mode.PASS) {
                startConnect(c);
            }
            process(c);
        }
    }

    private void startConnect(Conn c) {
        try {
            SocketChannel up = SocketChannel.open();
            c.upstream = up;
            up.configureBlocking(false);
            up.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.upstreamKey = up.register(selector, 0, c);
            if (up.connect(new InetSocketAddress(upstreamHost, upstreamPort))) {
                c.upstreamConnected = true;
            }
        } catch (IOException e) {
            c.upstreamFailed = true;
        }
    }

    private void finishConnect(Conn c) {
        try {
            if (c.upstream.finishConnect()) {
                c.upstreamConnected = true;
            }
        } catch (IOException e) {
            c.upstreamFailed = true;
        }
    }

    private void processAll() {
        for (Conn c : new ArrayList<>(conns)) {
            process(c);
        }
    }

    /**
     * Does all the non-blocking I/O that the current mode allows on one connection, then sets interest ops for
     * whatever is left waiting. Idempotent; called on every readiness event and every mode change.
     */
    private void process(Conn c) {
        if (c.closed) {
            return;
        }
        boolean pass = mode == Mode.PASS;
        if (pass) {
            if (c.upstream == null) {
                if (c.clientEof || c.clientFailed) {
                    // accepted during a black hole, client gave up meanwhile: never open it upstream
                    closeNormally(c);
                    return;
                }
                startConnect(c);
            }
            if (c.clientFailed || c.upstreamFailed) {
                abort(c);
                return;
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            // read what we can (also in a black hole: held, bounded by the buffer)
            progress |= readInto(c, true);
            if (c.upstreamConnected) {
                progress |= readInto(c, false);
            }
            if (pass && c.upstreamConnected) {
                progress |= writeFrom(c, true);
                progress |= writeFrom(c, false);
                if (c.clientFailed || c.upstreamFailed) {
                    abort(c);
                    return;
                }
            }
        }
        if (pass && c.upstreamConnected) {
            try {
                if (c.clientEof && c.c2u.position() == 0 && !c.c2uShut) {
                    c.upstream.shutdownOutput();
                    c.c2uShut = true;
                }
                if (c.upstreamEof && c.u2c.position() == 0 && !c.u2cShut) {
                    c.client.shutdownOutput();
                    c.u2cShut = true;
                }
            } catch (IOException e) {
                abort(c);
                return;
            }
            if (c.c2uShut && c.u2cShut) {
                closeNormally(c);
                return;
            }
        }
        updateInterest(c, pass);
    }

    /** Reads from one side into its buffer; returns true if bytes or EOF were read. */
    private boolean readInto(Conn c, boolean fromClient) {
        SocketChannel src = fromClient ? c.client : c.upstream;
        ByteBuffer buf = fromClient ? c.c2u : c.u2c;
        boolean eofOrFailed = fromClient ? (c.clientEof || c.clientFailed) : (c.upstreamEof || c.upstreamFailed);
        if (eofOrFailed || !buf.hasRemaining()) {
            return false;
        }
        int n;
        try {
            n = src.read(buf);
        } catch (IOException e) {
            if (fromClient) {
                c.clientFailed = true;
            } else {
                c.upstreamFailed = true;
            }
            return true;
        }
        if (n < 0) {
            if (fromClient) {
                c.clientEof = true;
            } else {
                c.upstreamEof = true;
            }
            return true;
        }
        return n > 0;
    }

    /** Writes one buffer to its destination; returns true if bytes were written. */
    private boolean writeFrom(Conn c, boolean toUpstream) {
        SocketChannel dst = toUpstream ? c.upstream : c.client;
        ByteBuffer buf = toUpstream ? c.c2u : c.u2c;
        if (buf.position() == 0) {
            return false;
        }
        buf.flip();
        int n;
        try {
            n = dst.write(buf);
        } catch (IOException e) {
            if (toUpstream) {
                c.upstreamFailed = true;
            } else {
                c.clientFailed = true;
            }
            n = 0;
        } finally {
            buf.compact();
        }
        if (n > 0) {
            (toUpstream ? bytesToUpstream : bytesToClients).addAndGet(n);
        }
        return n > 0;
    }

    private void updateInterest(Conn c, boolean pass) {
        try {
            int clientOps = 0;
            if (!c.clientEof && !c.clientFailed && c.c2u.hasRemaining()) {
                clientOps |= SelectionKey.OP_READ;
            }
            if (pass && c.upstreamConnected && c.u2c.position() > 0) {
                clientOps |= SelectionKey.OP_WRITE;
            }
            c.clientKey.interestOps(clientOps);
            if (c.upstreamKey != null) {
                int upOps = 0;
                if (!c.upstreamConnected) {
                    if (!c.upstreamFailed) {
                        upOps = SelectionKey.OP_CONNECT;
                    }
                } else {
                    if (!c.upstreamEof && !c.upstreamFailed && c.u2c.hasRemaining()) {
                        upOps |= SelectionKey.OP_READ;
                    }
                    if (pass && c.c2u.position() > 0) {
                        upOps |= SelectionKey.OP_WRITE;
                    }
                }
                c.upstreamKey.interestOps(upOps);
            }
        } catch (CancelledKeyException e) {
            abort(c);
        }
    }

    private void abort(Conn c) {
        if (c.closed) {
            return;
        }
        reset(c.client);
        if (c.upstream != null) {
            reset(c.upstream);
        }
        markClosed(c);
    }

    private void closeNormally(Conn c) {
        if (c.closed) {
            return;
        }
        closeQuietly(c.client);
        if (c.upstream != null) {
            closeQuietly(c.upstream);
        }
        markClosed(c);
    }

    private void markClosed(Conn c) {
        c.closed = true;
        conns.remove(c);
        activeConnections.decrementAndGet();
    }

    private static void reset(SocketChannel ch) {
        try {
            if (ch.isOpen()) {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException | RuntimeException ignored) {
            // not connected (yet): a plain close is all we can do
        }
        closeQuietly(ch);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** One proxied connection; touched by the selector thread only. */
    private static final class Conn {

        final SocketChannel client;
        final ByteBuffer c2u = ByteBuffer.allocate(BUFFER_SIZE); // fill mode: data in [0, position)
        final ByteBuffer u2c = ByteBuffer.allocate(BUFFER_SIZE);
        SelectionKey clientKey;
        SocketChannel upstream;
        SelectionKey upstreamKey;
        boolean upstreamConnected;
        boolean clientEof;
        boolean upstreamEof;
        boolean clientFailed;
        boolean upstreamFailed;
        boolean c2uShut;
        boolean u2cShut;
        boolean closed;

        Conn(SocketChannel client) {
            this.client = client;
        }
    }
}
