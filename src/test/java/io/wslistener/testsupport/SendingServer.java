package io.wslistener.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntFunction;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * What a {@link TestWebSocketServer} sends on its own: send batches, auto-send on connect, a periodic feed, raw frames,
 * and silent mode that pauses them. Sending never blocks the caller and never buffers without bound: a batch writes on
 * the socket's event loop only while {@code writeQueueFull()} is false, continues from the drain handler, and waits
 * while silent. The base of the server so that tests call {@code server.sendTexts(...)}.
 */
abstract class SendingServer extends RecordingServer {

    /** Writes in a row before a batch gives other work on the event loop a turn. */
    private static final int WRITES_PER_TURN = 512;

    private final AtomicBoolean writeQueueFullObserved = new AtomicBoolean();
    private volatile AutoSend autoSend;
    private volatile Periodic periodic;
    private volatile boolean silent;

    /** The Vert.x instance the server runs on (periodic feeds run on its timers). */
    public abstract Vertx vertx();

    /**
     * Sends {@code count} text messages, {@code body.apply(1..count)}, to every socket open now, as fast as each
     * socket drains. Completes with the number of sockets once every message has been written to every one of them;
     * fails if a socket closed first. Pauses (without completing) while the server is {@link #silent()}.
     */
    public CompletableFuture<Integer> sendTexts(int count, IntFunction<String> body) {
        Objects.requireNonNull(body);
        return toAll(c -> startBatch(c, count, i -> c.ws.writeTextMessage(body.apply(i))));
    }

    /** Like {@link #sendTexts} with binary messages. */
    public CompletableFuture<Integer> sendBinary(int count, IntFunction<Buffer> body) {
        Objects.requireNonNull(body);
        return toAll(c -> startBatch(c, count, i -> c.ws.writeBinaryMessage(body.apply(i))));
    }

    /**
     * Makes every socket accepted from now on receive {@code count} text messages {@code body.apply(1..count)},
     * starting right after the handshake (each connection has its own sequence starting at 1). The completion of
     * each connection's batch is {@link ServerConnection#autoSendDone()}. {@code count <= 0} switches auto-send off.
     */
    public TestWebSocketServer autoSendOnConnect(int count, IntFunction<String> body) {
        this.autoSend = count > 0 ? new AutoSend(count, Objects.requireNonNull(body)) : null;
        return self();
    }

    /** Switches auto-send off for new connections (batches already running continue). */
    public TestWebSocketServer stopAutoSend() {
        this.autoSend = null;
        return self();
    }

    /**
     * Makes every socket accepted from now on receive {@code body.apply(1)}, {@code body.apply(2)}, ... one every
     * {@code interval} while it is open, like a live feed (each connection has its own sequence starting at 1; a tick
     * while {@link #silent()} sends nothing and skips no number). Not bounded by the write queue: keep the rate low.
     * {@code null} switches it off for new connections.
     */
    public TestWebSocketServer sendEvery(Duration interval, IntFunction<String> body) {
        this.periodic = interval == null ? null : new Periodic(interval.toMillis(), Objects.requireNonNull(body));
        return self();
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
                        last = c.ws.writeFrame(SocketInternals.copy(f));
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
     * Silent mode: running and future sendTexts/sendBinary/auto-send batches pause (their futures stay pending); pings
     * are still answered (Vert.x does that by itself). Raw frames and close frames are still sent.
     */
    public TestWebSocketServer silent() {
        this.silent = true;
        return self();
    }

    /** Leaves silent mode: paused batches continue where they stopped. */
    public TestWebSocketServer speak() {
        this.silent = false;
        for (ServerConnection c : openConnections()) {
            c.ctx.runOnContext(v -> c.paused.resume(c.paused.forSilence));
        }
        return self();
    }

    /** Whether silent mode is on. */
    public boolean isSilent() {
        return silent;
    }

    /** True once a send batch found a socket's write queue full, i.e. the client stopped reading fast enough. */
    public boolean writeQueueFullObserved() {
        return writeQueueFullObserved.get();
    }

    /** At accept, on the socket's context: resumes batches on drain, starts the periodic feed and auto-send. */
    void startSending(ServerConnection c) {
        c.ws.drainHandler(v -> c.paused.resume(c.paused.forDrain));
        Periodic every = periodic;
        if (every != null) {
            int[] seq = { 0 };
            long timer = vertx().setPeriodic(every.millis(), t -> {
                if (c.isOpen() && !silent) {
                    c.ws.writeTextMessage(every.body().apply(++seq[0]));
                    c.sent.incrementAndGet();
                }
            });
            c.closedFuture().whenComplete((v, e) -> vertx().cancelTimer(timer));
        }
        AutoSend auto = autoSend;
        if (auto != null) {
            startBatch(c, auto.count(), i -> c.ws.writeTextMessage(auto.body().apply(i)))
                    .whenComplete((r, t) -> complete(c.autoSendDone, t));
        }
    }

    /** The fluent setters return the server the test holds: TestWebSocketServer is the one subclass. */
    private TestWebSocketServer self() {
        return (TestWebSocketServer) this;
    }

    private CompletableFuture<Integer> toAll(Function<ServerConnection, CompletableFuture<Void>> action) {
        List<ServerConnection> targets = openConnections();
        return ServerConnection.onEach(targets, action).thenApply(v -> targets.size());
    }

    private CompletableFuture<Void> startBatch(ServerConnection c, int count, IntFunction<Future<Void>> write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (count <= 0) {
            done.complete(null);
            return done;
        }
        c.ctx.runOnContext(v -> pump(c, 1, count, write, done));
        return done;
    }

    /** Runs on the socket's context: writes until done, the queue is full (wait for drain) or silent (wait). */
    private void pump(ServerConnection c, int next, int count, IntFunction<Future<Void>> write,
                      CompletableFuture<Void> done) {
        int budget = WRITES_PER_TURN;
        int i = next;
        Future<Void> last = null;
        try {
            while (i <= count) {
                if (!c.isOpen()) {
                    done.completeExceptionally(new IllegalStateException(
                            "connection " + c.id() + " closed after " + (i - 1) + " of " + count + " messages"));
                    return;
                }
                int resumeAt = i;
                if (silent) {
                    c.paused.forSilence.add(() -> pump(c, resumeAt, count, write, done));
                    return;
                }
                if (c.ws.writeQueueFull()) {
                    writeQueueFullObserved.set(true);
                    c.paused.forDrain.add(() -> pump(c, resumeAt, count, write, done));
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

    private static void complete(CompletableFuture<Void> f, Throwable failure) {
        if (failure != null) {
            f.completeExceptionally(failure);
        } else {
            f.complete(null);
        }
    }

    /** The batches of one connection waiting to continue; touched on the socket's context only. */
    static final class Paused {

        final List<Runnable> forDrain = new ArrayList<>();
        final List<Runnable> forSilence = new ArrayList<>();

        void resume(List<Runnable> waiting) {
            List<Runnable> copy = new ArrayList<>(waiting);
            waiting.clear();
            copy.forEach(Runnable::run);
        }

        /** Resumes every paused batch, e.g. so that it notices its socket closed and fails. */
        void resumeAll() {
            resume(forDrain);
            resume(forSilence);
        }
    }

    private record AutoSend(int count, IntFunction<String> body) {
    }

    private record Periodic(long millis, IntFunction<String> body) {
    }
}
