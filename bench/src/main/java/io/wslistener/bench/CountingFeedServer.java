package io.wslistener.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/**
 * An in-process WebSocket feed on 127.0.0.1 that counts, per path, how many sockets are open now, the most that were
 * ever open at once, and how many were accepted in all. Every open socket gets a numbered text message
 * ({@code {"seq":n}}) every {@code intervalMillis}.
 * <p>
 * The counts are what the failover tests judge by: the server, not the clients, is the witness that there were never
 * two live sockets for one feed.
 */
public final class CountingFeedServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;
    private final Map<String, PathCounts> counts = new ConcurrentHashMap<>();

    /** Counts of one path. */
    public static final class PathCounts {
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger maxOpen = new AtomicInteger();
        private final AtomicInteger accepted = new AtomicInteger();
        private volatile long lastAcceptedNanos;

        public int open() {
            return open.get();
        }

        public int maxOpen() {
            return maxOpen.get();
        }

        public int accepted() {
            return accepted.get();
        }

        /** When the last socket was accepted, in {@link System#nanoTime()}. */
        public long lastAcceptedNanos() {
            return lastAcceptedNanos;
        }
    }

    public CountingFeedServer(long intervalMillis) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        server = vertx.createHttpServer().webSocketHandler(ws -> accept(ws, intervalMillis));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** The counts of a path; all zero for a path never connected to. */
    public PathCounts counts(String path) {
        return counts.computeIfAbsent(path, p -> new PathCounts());
    }

    /** Sockets open now, over all paths. */
    public int openSockets() {
        return counts.values().stream().mapToInt(PathCounts::open).sum();
    }

    /** Paths with at least one socket open now. */
    public long connectedPaths() {
        return counts.values().stream().filter(c -> c.open() > 0).count();
    }

    /** The most sockets ever open at once on any single path. */
    public int maxOpenOnAnyPath() {
        return counts.values().stream().mapToInt(PathCounts::maxOpen).max().orElse(0);
    }

    private void accept(ServerWebSocket ws, long intervalMillis) {
        PathCounts path = counts(ws.path());
        // all on the server's one event loop, so open/max are updated in the order sockets open and close
        path.maxOpen.accumulateAndGet(path.open.incrementAndGet(), Math::max);
        path.lastAcceptedNanos = System.nanoTime();
        path.accepted.incrementAndGet();
        long[] seq = { 0 };
        long timer = vertx.setPeriodic(intervalMillis, t -> ws.writeTextMessage("{\"seq\":" + (++seq[0]) + "}"));
        ws.closeHandler(v -> {
            vertx.cancelTimer(timer);
            path.open.decrementAndGet();
        });
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
