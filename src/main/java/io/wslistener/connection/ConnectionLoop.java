package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.support.Backoff;
import io.wslistener.support.Durations;

/**
 * The connection state machine of one route: connect, stay open (keep-alive), back off, reconnect, stop or give up.
 * <p>
 * Every field is confined to one Vert.x context, so there is no locking and never more than one attempt or socket at a
 * time: each attempt carries a number, and a result that arrives for an attempt that is no longer current (timed out,
 * stopped) is closed on arrival. Every state change goes through {@link #transition}, which is what logs, meters and
 * health read.
 */
public final class ConnectionLoop {

    private static final short CLOSE_NORMAL = 1000;
    private static final short CLOSE_GOING_AWAY = 1001;

    private final Vertx vertx;
    private final Context context;
    private final ConnectionSettings settings;
    private final Backoff backoff;
    private final WebSocketConnector connector;
    private final MessageReceiver receiver;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final DoubleSupplier random;
    private final AfterClose afterClose;

    // confined to the context
    private ConnectionState state = ConnectionState.STOPPED;
    private long attemptId;
    private int failedInARow;
    private int rejectionsInARow;
    // connect attempts since the last open connection (failedInARow also counts drops, for the backoff)
    private int attemptsSinceOpen;
    private WebSocket socket;
    private long openedAtNanos;
    private long connectionNumber;
    private KeepAlive keepAlive;
    private long keepAliveTimer = -1;
    private long retryTimer = -1;
    private long connectTimer = -1;
    private long ackTimer = -1;
    private long ageTimer = -1;
    private AfterClose.Ending ending = AfterClose.Ending.SERVER_OR_NETWORK;
    private boolean readingPaused;
    private long pausedAtNanos;
    private Promise<Void> stopped;

    // published for readers on other threads (health checks, meters)
    private volatile Snapshot snapshot = new Snapshot(ConnectionState.STOPPED, System.currentTimeMillis(), null, 0, 0,
            null);
    // the server of the latest attempt or connection, masked
    private String target;

    /**
     * What other threads may read about the loop.
     *
     * @param target the server of the latest attempt or connection (secrets masked), or null before the first attempt or
     *               when the connector does not say
     */
    public record Snapshot(ConnectionState state, long sinceEpochMillis, String lastCause, long connections,
                           int failedInARow,
                           String target) {
    }

    public ConnectionLoop(Vertx vertx, Context context, ConnectionSettings settings, WebSocketConnector connector,
                          MessageReceiver receiver) {
        this(vertx, context, settings, connector, receiver, () -> ThreadLocalRandom.current().nextDouble());
    }

    ConnectionLoop(Vertx vertx, Context context, ConnectionSettings settings, WebSocketConnector connector,
                   MessageReceiver receiver, DoubleSupplier random) {
        this.vertx = vertx;
        this.context = context;
        this.settings = settings;
        this.backoff = new Backoff(settings.getInitialDelay(), settings.getMultiplier(), settings.getMaxDelay(),
                settings.getJitter());
        this.connector = connector;
        this.receiver = receiver;
        this.random = random;
        this.afterClose = new AfterClose(settings.stopOnCloseCodeSet(), settings.redeployCloseCodeSet(),
                settings.backoffCloseCodeSet(), settings.getStableUptime());
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public ConnectionState state() {
        return snapshot.state();
    }

    public Context context() {
        return context;
    }

    /** Starts the loop; returns at once, the first attempt runs on the loop's context. */
    public void start() {
        context.runOnContext(v -> {
            if (state == ConnectionState.STOPPED || state == ConnectionState.FAILED) {
                failedInARow = 0;
                attemptsSinceOpen = 0;
                rejectionsInARow = 0;
                stopped = null;
                connect();
            }
        });
    }

    /**
     * Stops the loop: cancels timers, drops a pending attempt and closes the open socket with 1000.
     *
     * @return completes once the socket is closed (or at once when there was none)
     */
    public Future<Void> stop(String reason) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            cancelTimers();
            attemptId++;
            WebSocket open = socket;
            if (state != ConnectionState.STOPPED && state != ConnectionState.FAILED) {
                // a loop that gave up stays FAILED, so health keeps saying why
                transition(ConnectionState.STOPPED, reason);
            }
            if (open == null) {
                done.tryComplete();
                return;
            }
            // done completes in onSocketClosed, so the disconnect event is out before the stop returns
            stopped = done;
            open.close(CLOSE_NORMAL, reason);
            // Whoever paused reading (the hand-off at its bound, the stop's drain, an operator's hold), Vert.x keeps
            // what it read after the pause, and once that is more than it buffers it stops reading TCP: the peer's
            // close reply would then never be seen, and every stop of a busy or long-paused feed waited out the guard
            // below, 2 s per feed in turn. Those frames were received, so the stop ends an operator's hold and reads
            // on: they are handed over (the consumer waits for them, its bounds still pause reading), then the reply
            // closes the socket.
            heldByOperator = false;
            resumeReading();
            // a peer that never answers the close must not hold the stop up; nothing of a stopped loop outlives it
            long guard = vertx.setTimer(2000, t -> {
                forceClose(open);
                onSocketClosed(open, -1, null, "no close handshake within 2s");
                context.runOnContext(x -> done.tryComplete());
            });
            done.future().onComplete(ar -> vertx.cancelTimer(guard));
        });
        return done.future();
    }

    /** Stops reading from the socket (TCP backpressure) until {@link #resumeReading()}. Any thread. */
    public void pauseReading() {
        onContext(() -> {
            if (!readingPaused) {
                readingPaused = true;
                pausedAtNanos = System.nanoTime();
                if (socket != null) {
                    socket.pause();
                }
                if (keepAlive != null) {
                    keepAlive.pause();
                    if (socket != null && state == ConnectionState.OPEN) {
                        // the deadlines are off while paused; the heartbeat keeps its schedule
                        scheduleKeepAlive(socket);
                    }
                }
                listeners.forEach(ConnectionListener::onReadingPaused);
            }
        });
    }

    /** Resumes reading after {@link #pauseReading()}, unless an operator holds it ({@link #holdReading()}). Any thread. */
    public void resumeReading() {
        onContext(() -> {
            if (readingPaused && !heldByOperator) {
                readingPaused = false;
                long now = System.nanoTime();
                if (socket != null) {
                    socket.resume();
                }
                if (keepAlive != null) {
                    keepAlive.resume(now);
                    if (socket != null && state == ConnectionState.OPEN) {
                        scheduleKeepAlive(socket);
                    }
                }
                long pausedFor = now - pausedAtNanos;
                listeners.forEach(l -> l.onReadingResumed(pausedFor));
            }
        });
    }

    // --- operator requests (JMX, dev console): they go through the same transitions and listeners as the loop's own

    static final String RECONNECT_REQUESTED = "reconnect requested";

    private volatile boolean heldByOperator;

    /**
     * Reconnects at once: an open connection is closed with 1000 and the next attempt starts without backoff; a loop
     * that backs off stops waiting. Nothing happens while an attempt is under way or once the loop stopped or gave up.
     * Any thread.
     */
    public void reconnectNow() {
        onContext(() -> {
            if (state == ConnectionState.OPEN && socket != null) {
                WebSocket open = socket;
                // no longer current: its close handler will find nothing to do, and no backoff follows our own close
                socket = null;
                cancelTimer(keepAliveTimer);
                keepAliveTimer = -1;
                open.close(CLOSE_NORMAL, RECONNECT_REQUESTED);
                if (readingPaused) {
                    // what it read before the close was received: let it out, as when the server closes
                    open.resume();
                }
                Duration uptime = Duration.ofNanos(System.nanoTime() - openedAtNanos);
                long connection = connectionNumber;
                listeners.forEach(l -> l.onDisconnected(connection, -1, RECONNECT_REQUESTED, uptime));
                failedInARow = 0;
                connect();
            } else if (state == ConnectionState.BACKING_OFF) {
                cancelTimer(retryTimer);
                retryTimer = -1;
                connect();
            }
        });
    }

    /** Pauses reading until {@link #releaseReading()}; a backlog that drains does not resume it meanwhile. Any thread. */
    public void holdReading() {
        onContext(() -> {
            heldByOperator = true;
            pauseReading();
        });
    }

    /** Ends {@link #holdReading()}; reading resumes with the next {@link #resumeReading()}. Any thread. */
    public void releaseReading() {
        onContext(() -> heldByOperator = false);
    }

    /** Whether an operator holds reading paused. */
    public boolean readingHeld() {
        return heldByOperator;
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    private void connect() {
        long id = ++attemptId;
        attemptsSinceOpen++;
        String next = connector.nextTarget();
        target = next != null ? next : target;
        transition(ConnectionState.CONNECTING, "attempt " + attemptsSinceOpen);
        connectTimer = vertx.setTimer(settings.getConnectTimeout().toMillis(), t -> {
            connectTimer = -1;
            onAttemptFailed(id, new ConnectTimeoutException(settings.getConnectTimeout()));
        });
        Future<WebSocket> attempt;
        try {
            attempt = connector.connect();
        } catch (RuntimeException e) {
            attempt = Future.failedFuture(e);
        }
        attempt.onComplete(ar -> {
            if (ar.succeeded()) {
                onConnectSucceeded(id, ar.result());
            } else {
                onAttemptFailed(id, ar.cause());
            }
        });
    }

    private void onConnectSucceeded(long id, WebSocket ws) {
        if (id != attemptId || state != ConnectionState.CONNECTING) {
            // superseded (timed out or stopped meanwhile): never keep a second socket
            ws.close(CLOSE_NORMAL, "superseded");
            return;
        }
        cancelTimer(connectTimer);
        connectTimer = -1;
        InboundChecks.install(ws);
        InflateLimit.install(ws, settings.getMaxMessageSize());
        int attempts = attemptsSinceOpen;
        attemptsSinceOpen = 0;
        rejectionsInARow = 0;
        socket = ws;
        connectionNumber++;
        openedAtNanos = System.nanoTime();
        ending = AfterClose.Ending.SERVER_OR_NETWORK;
        long connection = connectionNumber;
        // this connection's own keep-alive and numbering: what it had read may still be handed over after it closed
        KeepAlive alive = new KeepAlive(settings.getPingInterval().toNanos(), settings.getPongTimeout().toNanos(),
                settings.getIdleTimeout().toNanos(), openedAtNanos);
        keepAlive = alive;
        long[] sequence = { 0 };

        ws.frameHandler(frame -> {
            alive.onInboundFrame(System.nanoTime());
            if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
                // the frame's own length: no copy of its payload, exact bytes whatever the text encoding
                int bytes = VertxInternals.frameLength(frame);
                listeners.forEach(l -> l.onBytes(bytes));
            }
        });
        ReplyPattern pongReply = ReplyPattern.of(settings.getPongMessage());
        ReplyPattern ack = ReplyPattern.orAny(settings.getSubscribeAck());
        ws.textMessageHandler(text -> {
            if (ackTimer >= 0 && ws == socket && ack.matches(text)) {
                acknowledged();
            }
            if (pongReply != null && pongReply.matches(text)) {
                // the application-level pong: proof of life for the deadline, not data for the route
                onPong(ws, alive);
                return;
            }
            alive.onMessage(System.nanoTime());
            listeners.forEach(ConnectionListener::onMessage);
            receiver.onText(text, connection, ++sequence[0]);
        });
        ws.binaryMessageHandler(data -> {
            if (ackTimer >= 0 && ws == socket && ack.matchesBinary()) {
                acknowledged();
            }
            alive.onMessage(System.nanoTime());
            listeners.forEach(ConnectionListener::onMessage);
            receiver.onBinary(data, connection, ++sequence[0]);
        });
        ws.pongHandler(data -> onPong(ws, alive));
        ws.exceptionHandler(error -> onSocketError(ws, error));
        ws.closeHandler(v -> onSocketClosed(ws, ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(),
                InboundChecks.printable(ws.closeReason()), null));

        if (readingPaused) {
            ws.pause();
            keepAlive.pause();
        }
        transition(ConnectionState.OPEN, "connected");
        String remote = String.valueOf(ws.remoteAddress());
        listeners.forEach(l -> l.onConnected(connection, attempts, remote));
        for (String message : settings.openMessageList()) {
            ws.writeTextMessage(message);
        }
        if (!settings.getMaxConnectionAge().isZero()) {
            ageTimer = vertx.setTimer(settings.getMaxConnectionAge().toMillis(), t -> {
                ageTimer = -1;
                reachedMaxAge(ws, connection);
            });
        }
        if (ack != null) {
            ackTimer = vertx.setTimer(settings.getSubscribeAckTimeout().toMillis(), t -> {
                ackTimer = -1;
                noSubscribeAck(ws);
            });
        }
        scheduleKeepAlive(ws);
    }

    /** A planned reconnect: a clean close (what is on its way still arrives), then at once the next connect. */
    private void reachedMaxAge(WebSocket ws, long connection) {
        if (ws != socket) {
            return;
        }
        String reason = "maxConnectionAge " + Durations.format(settings.getMaxConnectionAge()) + " reached";
        ending = AfterClose.Ending.MAX_AGE;
        listeners.forEach(l -> l.onPlannedReconnect(connection, reason));
        ws.close(CLOSE_NORMAL, reason);
    }

    private void acknowledged() {
        cancelTimer(ackTimer);
        ackTimer = -1;
    }

    /** The server accepted the socket but never acknowledged the open messages: a failed attempt of its own kind. */
    private void noSubscribeAck(WebSocket ws) {
        if (ws != socket) {
            return;
        }
        String reason = "no subscribe acknowledgement within " + Durations.format(settings.getSubscribeAckTimeout());
        int attempt = failedInARow + 1;
        listeners.forEach(l -> l.onAttemptFailed(attempt, FailureCause.NO_SUBSCRIBE_ACK, reason));
        ending = AfterClose.Ending.NO_SUBSCRIBE_ACK;
        abandon(ws, CLOSE_GOING_AWAY, reason);
    }

    private void onPong(WebSocket ws, KeepAlive alive) {
        long rtt = alive.onPong(System.nanoTime());
        if (rtt >= 0) {
            listeners.forEach(l -> l.onPong(rtt));
            if (ws == socket && !readingPaused) {
                // the timer waited for the pong deadline, which is gone now
                scheduleKeepAlive(ws);
            }
        }
    }

    /** One timer for the next keep-alive moment; moved on after every check; while reading is paused, pings only. */
    private void scheduleKeepAlive(WebSocket ws) {
        cancelTimer(keepAliveTimer);
        keepAliveTimer = -1;
        long nanos = keepAlive.nanosUntilNextCheck(System.nanoTime());
        if (nanos >= 0) {
            // round up: a timer that fires a hair early would find nothing due and only schedule itself again
            long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
            keepAliveTimer = vertx.setTimer(millis, t -> {
                keepAliveTimer = -1;
                checkKeepAlive(ws);
            });
        }
    }

    private void checkKeepAlive(WebSocket ws) {
        if (ws != socket) {
            return;
        }
        long now = System.nanoTime();
        switch (keepAlive.check(now)) {
            case SEND_PING -> {
                keepAlive.onPingSent(now);
                ws.writePing(Buffer.buffer(Long.toString(now)));
                if (settings.getPingMessage() != null) {
                    ws.writeTextMessage(settings.getPingMessage());
                }
                listeners.forEach(ConnectionListener::onPingSent);
            }
            case PONG_TIMEOUT -> {
                listeners.forEach(ConnectionListener::onPongTimeout);
                abandon(ws, CLOSE_GOING_AWAY, "no pong within " + Durations.format(settings.getPongTimeout()));
            }
            case IDLE_TIMEOUT -> {
                listeners.forEach(ConnectionListener::onIdleTimeout);
                abandon(ws, CLOSE_GOING_AWAY, "no message for " + Durations.format(settings.getIdleTimeout()));
            }
            case NOTHING_DUE -> {
            }
        }
        if (ws == socket) {
            scheduleKeepAlive(ws);
        }
    }

    private void onSocketError(WebSocket ws, Throwable error) {
        if (ws != socket) {
            return;
        }
        InboundChecks.Violation violation = InboundChecks.of(error, settings.getMaxMessageSize());
        if (violation != null) {
            abandon(ws, violation.code(), violation.reason());
        }
        // other errors are followed by the close handler, which carries on
    }

    /**
     * Gives up on a socket we no longer trust (half-open, idle, oversized): sends a close frame for the peer's sake, then
     * closes TCP at once instead of waiting for a close handshake a dead peer will never answer.
     */
    private void abandon(WebSocket ws, short code, String reason) {
        ws.close(code, reason);
        forceClose(ws);
        onSocketClosed(ws, -1, null, reason + " (closed with " + code + ")");
    }

    private static void forceClose(WebSocket ws) {
        // while it reads, Vert.x holds writes back until the read is done: flush, or our close frame is dropped
        VertxInternals.forceClose(ws);
    }

    private void onSocketClosed(WebSocket ws, int closeCode, String closeReason, String localCause) {
        if (ws != socket) {
            return;
        }
        socket = null;
        cancelTimer(keepAliveTimer);
        cancelTimer(ackTimer);
        cancelTimer(ageTimer);
        keepAliveTimer = ackTimer = ageTimer = -1;
        Duration uptime = Duration.ofNanos(System.nanoTime() - openedAtNanos);
        long connection = connectionNumber;
        String reason = localCause != null ? localCause : closeReason;
        listeners.forEach(l -> l.onDisconnected(connection, closeCode, reason, uptime));
        if (readingPaused) {
            // Vert.x hands a close (or a reset) over at once, while the frames it read before it still wait behind our
            // pause: they were received, so let them out now. They reach the receiver before anything of the next
            // connection (they are queued on this context first), and at most what Vert.x had buffered, which is
            // bounded by its read size, goes past maxInFlight.
            ws.resume();
        }
        if (state == ConnectionState.STOPPED) {
            Promise<Void> done = stopped;
            if (done != null) {
                // after Vert.x has handed over what it still held (queued on this context by the resume above)
                context.runOnContext(v -> done.tryComplete());
            }
            return;
        }
        String cause = localCause != null ? localCause
                : closeCode < 0 ? "connection lost"
                        : "closed by server with " + closeCode
                                + (closeReason == null || closeReason.isEmpty() ? "" : " " + closeReason);
        switch (afterClose.outcome(ending, closeCode, uptime)) {
            case STOP -> giveUp(cause + ", a close code configured to stop the route (stopOnCloseCodes)");
            case PLANNED -> backOff(cause, 0);
            case PLANNED_AFTER_STABLE -> {
                failedInARow = 0;
                backOff(cause, 0);
            }
            case NOT_A_FAILURE -> {
                failedInARow = 0;
                backOff(cause, backoff.delayMillis(1, random.getAsDouble()));
            }
            case FAILURE_AFTER_STABLE -> {
                failedInARow = 1;
                retryOrGiveUp(cause);
            }
            case FAILURE -> {
                failedInARow++;
                retryOrGiveUp(cause);
            }
        }
    }

    private void onAttemptFailed(long id, Throwable cause) {
        if (id != attemptId || state != ConnectionState.CONNECTING) {
            return;
        }
        attemptId++; // a late result of this attempt is now stale and will be closed on arrival
        cancelTimer(connectTimer);
        connectTimer = -1;
        failedInARow++;
        String description = describe(cause);
        int attempt = attemptsSinceOpen;
        FailureCause category = FailureCause.of(cause);
        listeners.forEach(l -> l.onAttemptFailed(attempt, category, description));
        if (cause instanceof UpgradeRejectedException rejected
                && settings.stopOnHandshakeStatusSet().contains(rejected.getStatus())) {
            rejectionsInARow++;
            if (rejectionsInARow >= settings.getHandshakeRejectionsBeforeStop()) {
                giveUp("handshake refused with HTTP " + rejected.getStatus() + " " + rejectionsInARow
                        + " times in a row (stopOnHandshakeStatuses)");
                return;
            }
        } else {
            rejectionsInARow = 0;
        }
        retryOrGiveUp(description,
                RetryAfter.millis(cause, settings.retryAfterStatusSet(), settings.getMaxDelay(),
                        System.currentTimeMillis()));
    }

    private void retryOrGiveUp(String cause) {
        retryOrGiveUp(cause, -1);
    }

    /** @param atLeastMillis the wait the server asked for (Retry-After, already capped by maxDelay), or -1 */
    private void retryOrGiveUp(String cause, long atLeastMillis) {
        if (settings.getMaxAttempts() > 0 && failedInARow >= settings.getMaxAttempts()) {
            giveUp(cause + "; " + failedInARow + " attempts failed in a row (maxAttempts=" + settings.getMaxAttempts()
                    + ")");
            return;
        }
        backOff(cause, Math.max(backoff.delayMillis(failedInARow, random.getAsDouble()), atLeastMillis));
    }

    private void backOff(String cause, long delay) {
        int next = attemptsSinceOpen + 1;
        transition(ConnectionState.BACKING_OFF, cause);
        Duration wait = Duration.ofMillis(delay);
        listeners.forEach(l -> l.onBackingOff(wait, next));
        retryTimer = vertx.setTimer(Math.max(1, delay), t -> {
            retryTimer = -1;
            if (state == ConnectionState.BACKING_OFF) {
                connect();
            }
        });
    }

    private void giveUp(String reason) {
        cancelTimers();
        attemptId++;
        WebSocket open = socket;
        socket = null;
        if (open != null) {
            open.close(CLOSE_NORMAL, "giving up");
        }
        transition(ConnectionState.FAILED, reason);
        listeners.forEach(l -> l.onGaveUp(reason));
    }

    private void transition(ConnectionState to, String cause) {
        ConnectionState from = state;
        state = to;
        snapshot = new Snapshot(to, System.currentTimeMillis(), cause, connectionNumber, failedInARow, target);
        listeners.forEach(l -> l.onStateChanged(from, to, cause));
    }

    private void cancelTimers() {
        cancelTimer(connectTimer);
        cancelTimer(retryTimer);
        cancelTimer(keepAliveTimer);
        cancelTimer(ackTimer);
        cancelTimer(ageTimer);
        connectTimer = retryTimer = keepAliveTimer = ackTimer = ageTimer = -1;
    }

    private void cancelTimer(long id) {
        if (id >= 0) {
            vertx.cancelTimer(id);
        }
    }

    static String describe(Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            return "handshake refused with HTTP " + rejected.getStatus();
        }
        String message = cause.getMessage();
        String text = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        // Vert.x wraps a TLS failure as "Failed to create SSL connection": the reason (untrusted certificate, host name
        // mismatch) is the innermost cause's message
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root.getMessage();
        if (root != cause && rootMessage != null && (message == null || !message.contains(rootMessage))) {
            text += " (" + rootMessage + ")";
        }
        return text;
    }

    /** An attempt that did not finish within the connect timeout. */
    static final class ConnectTimeoutException extends Exception {

        ConnectTimeoutException(Duration timeout) {
            super("no handshake within " + Durations.format(timeout), null, false, false);
        }
    }
}
