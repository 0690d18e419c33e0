package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.support.Backoff;
import io.wslistener.support.Durations;

/**
 * The connection state machine of one route: connect, stay open, back off, reconnect, stop or give up. It owns the
 * attempts, the backoff and the state; the open connection, with its socket, keep-alive and timers, is a
 * {@link LiveConnection} of its own, made on each connect and discarded whole when it ends.
 * <p>
 * Every field is confined to one Vert.x context, so there is no locking and never more than one attempt or socket at a
 * time: each attempt carries a number, and a result that arrives for an attempt that is no longer current (timed out,
 * stopped) is closed on arrival. Every state change goes through {@link #transition}, which is what logs, meters and
 * health read. Time and timers come from a {@link LoopClock}.
 */
public final class ConnectionLoop {

    static final String RECONNECT_REQUESTED = "reconnect requested";

    private final LoopClock clock;
    private final Context context;
    private final ConnectionSettings settings;
    private final WebSocketConnector connector;
    private final MessageReceiver receiver;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final ReadingPause reading = new ReadingPause();
    private final AfterClose afterClose;
    private final HandshakeRejections rejections;
    private final NextAttempt nextAttempt;

    // confined to the context
    private ConnectionState state = ConnectionState.STOPPED;
    private long attemptId;
    private int failedInARow;
    // connect attempts since the last open connection (failedInARow also counts drops, for the backoff)
    private int attemptsSinceOpen;
    private long connectionNumber;
    private LiveConnection live;
    private long connectTimer = -1;
    private Promise<CloseReport> stopped;

    // published for readers on other threads (health checks, meters)
    private volatile LoopSnapshot snapshot = new LoopSnapshot(ConnectionState.STOPPED, System.currentTimeMillis(),
            null, 0, 0, null);
    // the server of the latest attempt or connection, masked
    private String target;

    public ConnectionLoop(Vertx vertx, Context context, ConnectionSettings settings, WebSocketConnector connector,
                          MessageReceiver receiver) {
        this(LoopClock.of(vertx), context, settings, connector, receiver,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    ConnectionLoop(LoopClock clock, Context context, ConnectionSettings settings, WebSocketConnector connector,
                   MessageReceiver receiver, DoubleSupplier random) {
        this.clock = clock;
        this.context = context;
        this.settings = settings;
        this.connector = connector;
        this.receiver = receiver;
        this.afterClose = new AfterClose(settings.stopOnCloseCodeSet(), settings.redeployCloseCodeSet(),
                settings.backoffCloseCodeSet(), settings.getStableUptime());
        this.rejections = new HandshakeRejections(settings.stopOnHandshakeStatusSet(),
                settings.getHandshakeRejectionsBeforeStop());
        this.nextAttempt = new NextAttempt(clock, new Backoff(settings.getInitialDelay(), settings.getMultiplier(),
                settings.getMaxDelay(), settings.getJitter()), random);
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    public LoopSnapshot snapshot() {
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
                rejections.reset();
                stopped = null;
                connect();
            }
        });
    }

    /** {@link #stop(String, Duration)} within the route's {@code drainTimeout}. */
    public Future<CloseReport> stop(String reason) {
        return stop(reason, settings.getDrainTimeout());
    }

    /**
     * Stops the loop: cancels the timers, drops a pending attempt and closes the open connection with 1000, reading on
     * until the server's close reply or until {@code budget} runs out, when the socket is reset.
     *
     * @return completes once the connection ended (at once when there was none), with what was read after the close
     */
    public Future<CloseReport> stop(String reason, Duration budget) {
        Promise<CloseReport> done = Promise.promise();
        context.runOnContext(v -> {
            dropAttempt();
            if (state != ConnectionState.STOPPED && state != ConnectionState.FAILED) {
                // a loop that gave up stays FAILED, so health keeps saying why
                transition(ConnectionState.STOPPED, reason);
            }
            LiveConnection open = live;
            if (open == null) {
                done.tryComplete(CloseReport.NONE);
                return;
            }
            // done completes in connectionEnded, so the disconnect event is out before the stop returns
            Promise<CloseReport> earlier = stopped;
            stopped = done;
            if (earlier != null) {
                done.future().onComplete(earlier);
            }
            open.close(LiveConnection.CLOSE_NORMAL, reason, budget);
            // Whoever paused reading (the hand-off at its bound, an operator's hold), Vert.x keeps what it read after the
            // pause, and once that is more than it buffers it stops reading TCP: the peer's close reply would then never
            // be seen. Those frames were received, and the server sent them before it saw the close frame, so the stop
            // ends an operator's hold and reads on: they are handed over (the hand-off's bounds still pause reading
            // while the route is behind), then the reply closes the socket, or the connection's close deadline resets it.
            reading.release();
            resumeReading();
        });
        return done.future();
    }

    /** Stops reading from the socket (TCP backpressure) until {@link #resumeReading()}. Any thread. */
    public void pauseReading() {
        onContext(() -> {
            if (reading.pause(clock.nanoTime())) {
                if (live != null) {
                    live.pauseReading();
                }
                listeners.forEach(ConnectionListener::onReadingPaused);
            }
        });
    }

    /** Resumes reading after {@link #pauseReading()}, unless an operator holds it ({@link #holdReading()}). Any thread. */
    public void resumeReading() {
        onContext(() -> {
            long now = clock.nanoTime();
            long pausedFor = reading.resume(now);
            if (pausedFor >= 0) {
                if (live != null) {
                    live.resumeReading(now);
                }
                listeners.forEach(l -> l.onReadingResumed(pausedFor));
            }
        });
    }

    // --- operator requests (JMX, dev console): they go through the same transitions and listeners as the loop's own

    /**
     * Reconnects now: an open connection gets the clean close of {@code maxConnectionAge} (a planned reconnect, the
     * next connect once it is closed); a backoff is cut short, but not a server's {@code Retry-After}. Nothing happens
     * while an attempt is under way or once the loop stopped or gave up. Any thread.
     *
     * @return what the loop did, in a few words for the operator's log line
     */
    public Future<String> reconnectNow() {
        Promise<String> done = Promise.promise();
        onContext(() -> done.complete(reconnect()));
        return done.future();
    }

    private String reconnect() {
        if (state == ConnectionState.OPEN && live != null) {
            live.closeToReconnect(RECONNECT_REQUESTED);
            return "closing connection #" + live.number() + " with 1000, then connecting again";
        }
        if (state == ConnectionState.BACKING_OFF && nextAttempt.isScheduled()) {
            long serverWait = nextAttempt.cutShort();
            if (serverWait > 0) {
                Duration left = Duration.ofMillis(serverWait);
                listeners.forEach(l -> l.onBackingOff(left, attemptsSinceOpen + 1));
                return "the server asked to wait (Retry-After): the next attempt is in " + Durations.format(left);
            }
            return "stopped waiting out the backoff: connecting now";
        }
        return "nothing to do while the connection is " + state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Pauses reading until {@link #releaseReading()}; a backlog that drains does not resume it meanwhile. Any thread. */
    public void holdReading() {
        onContext(() -> {
            reading.hold();
            pauseReading();
        });
    }

    /** Ends {@link #holdReading()}; reading resumes with the next {@link #resumeReading()}. Any thread. */
    public void releaseReading() {
        onContext(reading::release);
    }

    /** Whether an operator holds reading paused. */
    public boolean readingHeld() {
        return reading.isHeld();
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    // --- attempts

    private void connect() {
        long id = ++attemptId;
        attemptsSinceOpen++;
        String next = connector.nextTarget();
        target = next != null ? next : target;
        transition(ConnectionState.CONNECTING, "attempt " + attemptsSinceOpen);
        connectTimer = clock.setTimer(settings.getConnectTimeout().toMillis(), () -> {
            connectTimer = -1;
            onAttemptFailed(id, new ConnectTimeoutException(settings.getConnectTimeout(), connector.stillComputing()));
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

    /** Whether a result is of the attempt under way (not one that timed out, or that a stop dropped). */
    private boolean isCurrent(long id) {
        return id == attemptId && state == ConnectionState.CONNECTING;
    }

    /** Drops the attempt under way and any retry: a late result is now stale and will be closed on arrival. */
    private void dropAttempt() {
        attemptId++;
        clock.cancelTimer(connectTimer);
        connectTimer = -1;
        nextAttempt.cancel();
    }

    private void onConnectSucceeded(long id, WebSocket ws) {
        if (!isCurrent(id)) {
            // superseded (timed out or stopped meanwhile): never keep a second socket
            ws.close(LiveConnection.CLOSE_NORMAL, "superseded");
            return;
        }
        clock.cancelTimer(connectTimer);
        connectTimer = -1;
        int attempts = attemptsSinceOpen;
        attemptsSinceOpen = 0;
        rejections.reset();
        LiveConnection opened = new LiveConnection(ws, ++connectionNumber, settings, clock, listeners, receiver,
                this::connectionEnded, failedInARow, reading.isPaused());
        live = opened;
        transition(ConnectionState.OPEN, "connected");
        String remote = opened.remoteAddress();
        listeners.forEach(l -> l.onConnected(opened.number(), attempts, remote));
        opened.begin();
    }

    private void onAttemptFailed(long id, Throwable cause) {
        if (!isCurrent(id)) {
            return;
        }
        dropAttempt();
        failedInARow++;
        connector.serverFailed();
        String description = FailureCause.describe(cause);
        int attempt = attemptsSinceOpen;
        FailureCause category = FailureCause.of(cause);
        listeners.forEach(l -> l.onAttemptFailed(attempt, category, description));
        String refusedTooOften = rejections.afterFailedAttempt(cause);
        if (refusedTooOften != null) {
            giveUp(refusedTooOften);
            return;
        }
        retryOrGiveUp(description,
                RetryAfter.millis(cause, settings.retryAfterStatusSet(), settings.getMaxDelay(),
                        System.currentTimeMillis()));
    }

    // --- after a connection ended

    private void connectionEnded(LiveConnection connection, LiveConnection.Ended ended) {
        if (connection != live) {
            // one a restart replaced before its close reply came
            return;
        }
        live = null;
        if (state == ConnectionState.STOPPED) {
            Promise<CloseReport> done = stopped;
            stopped = null;
            if (done != null) {
                CloseReport report = ended.closeReport() != null ? ended.closeReport()
                        : new CloseReport(connection.number(), 0, false);
                // after Vert.x has handed over what it still held (queued on this context by the connection's resume)
                context.runOnContext(v -> done.tryComplete(report));
            }
            return;
        }
        String cause = ended.cause();
        if (afterClose.againstServer(ended.ending(), ended.uptime())) {
            connector.serverFailed();
        }
        switch (afterClose.outcome(ended.ending(), ended.closeCode(), ended.uptime())) {
            case STOP -> giveUp(cause + ", a close code configured to stop the route (stopOnCloseCodes)");
            case PLANNED -> backOff(cause, 0, -1);
            case PLANNED_AFTER_STABLE -> {
                failedInARow = 0;
                backOff(cause, 0, -1);
            }
            case NOT_A_FAILURE -> {
                failedInARow = 0;
                backOff(cause, nextAttempt.backoffMillis(1), -1);
            }
            case FAILURE_AFTER_STABLE -> {
                failedInARow = 1;
                retryOrGiveUp(cause, -1);
            }
            case FAILURE -> {
                failedInARow++;
                retryOrGiveUp(cause, -1);
            }
        }
    }

    /** @param serverWaitMillis the wait the server asked for (Retry-After, already capped by maxDelay), or -1 */
    private void retryOrGiveUp(String cause, long serverWaitMillis) {
        if (settings.getMaxAttempts() > 0 && failedInARow >= settings.getMaxAttempts()) {
            giveUp(cause + "; " + failedInARow + " attempts failed in a row (maxAttempts=" + settings.getMaxAttempts()
                    + ")");
            return;
        }
        backOff(cause, Math.max(nextAttempt.backoffMillis(failedInARow), serverWaitMillis), serverWaitMillis);
    }

    private void backOff(String cause, long delay, long serverWaitMillis) {
        int next = attemptsSinceOpen + 1;
        transition(ConnectionState.BACKING_OFF, cause);
        Duration wait = Duration.ofMillis(delay);
        listeners.forEach(l -> l.onBackingOff(wait, next));
        nextAttempt.schedule(delay, serverWaitMillis, () -> {
            if (state == ConnectionState.BACKING_OFF) {
                connect();
            }
        });
    }

    /** Reached only between connections: after one ended, or after a failed attempt. */
    private void giveUp(String reason) {
        dropAttempt();
        transition(ConnectionState.FAILED, reason);
        listeners.forEach(l -> l.onGaveUp(reason));
    }

    private void transition(ConnectionState to, String cause) {
        ConnectionState from = state;
        state = to;
        snapshot = new LoopSnapshot(to, System.currentTimeMillis(), cause, connectionNumber, failedInARow, target);
        listeners.forEach(l -> l.onStateChanged(from, to, cause));
    }
}
