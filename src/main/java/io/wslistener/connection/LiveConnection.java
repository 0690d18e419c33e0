package io.wslistener.connection;

import java.time.Duration;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.support.Durations;
import io.wslistener.support.StopBudget;

/**
 * One open WebSocket and everything that lives exactly as long as it: its handlers, its keep-alive, its subscribe
 * acknowledgement and maximum-age timers, the numbering of its messages. The loop makes one per successful connect and
 * discards it whole when it ends: once ended, whatever of its own fires late (a timer, an error, the close handler after
 * a forced close) finds it ended and does nothing, so the loop never has to ask whether an event is still about the
 * current socket.
 * <p>
 * Messages it had read are still handed over after it ended: they were received. Confined to the loop's context.
 */
final class LiveConnection {

    static final short CLOSE_NORMAL = 1000;
    static final short CLOSE_GOING_AWAY = 1001;

    /**
     * How a connection ended.
     *
     * @param closeCode   the server's close code, or -1 when there was none
     * @param closeReason the server's close reason (printable), or null
     * @param localCause  why this side ended it (a deadline, bad input, a stop's guard), or null
     */
    record Ended(int closeCode, String closeReason, String localCause, AfterClose.Ending ending, Duration uptime,
                 CloseReport closeReport) {

        /** One line for the state and the logs. */
        String cause() {
            if (localCause != null) {
                return localCause;
            }
            return closeCode < 0 ? "connection lost"
                    : "closed by server with " + closeCode
                            + (closeReason == null || closeReason.isEmpty() ? "" : " " + closeReason);
        }
    }

    /** What a connection tells its loop. */
    @FunctionalInterface
    interface Owner {

        /** It ended, on the server's, the network's or its own terms, or after {@link #close}; called once. */
        void ended(LiveConnection connection, Ended ended);
    }

    private final WebSocket ws;
    private final long number;
    private final ConnectionSettings settings;
    private final LoopClock clock;
    private final List<ConnectionListener> listeners;
    private final MessageReceiver receiver;
    private final Owner owner;
    private final int failedBefore;
    private final long openedAtNanos;
    private final KeepAlive keepAlive;
    private final ReplyPattern pongReply;
    private final ReplyPattern ack;

    private final ReadingDeadline ackDeadline;

    private long sequence;
    private boolean paused;
    // this side sent a close frame (a stop, a planned reconnect): the keep-alive and ack deadlines are off, the close
    // reply is awaited until closeDeadlineNanos
    private boolean closing;
    private long sequenceAtCloseFrame;
    private long closeDeadlineNanos;
    private boolean reset;
    private boolean ended;
    private AfterClose.Ending ending = AfterClose.Ending.SERVER_OR_NETWORK;
    // pingMessage heartbeats sent and not yet answered: only then is a message matching pongMessage a reply
    private long heartbeatsAwaitingReply;
    private long keepAliveTimer = -1;
    private long ageTimer = -1;
    private long closeNearTimer = -1;
    private long closeTimer = -1;

    /**
     * Takes over a socket whose handshake just completed: checks its input and listens to it, before the event loop
     * reads again, so no frame gets past. Nothing is sent until {@link #begin()}.
     *
     * @param failedBefore attempts that failed in a row before this connection: one whose open messages are never
     *                     acknowledged counts as the next
     * @param paused       whether reading is paused (backpressure, an operator's hold) as it opens
     */
    LiveConnection(WebSocket ws, long number, ConnectionSettings settings, LoopClock clock,
                   List<ConnectionListener> listeners, MessageReceiver receiver, Owner owner, int failedBefore,
                   boolean paused) {
        this.ws = ws;
        this.number = number;
        this.settings = settings;
        this.clock = clock;
        this.listeners = listeners;
        this.receiver = receiver;
        this.owner = owner;
        this.failedBefore = failedBefore;
        this.openedAtNanos = clock.nanoTime();
        this.keepAlive = new KeepAlive(settings.getPingInterval().toNanos(), settings.getPongTimeout().toNanos(),
                settings.getIdleTimeout().toNanos(), openedAtNanos);
        this.pongReply = ReplyPattern.of(settings.getPongMessage());
        this.ack = ReplyPattern.orAny(settings.getSubscribeAck());
        this.ackDeadline = new ReadingDeadline(clock, () -> {
            if (!ended && !closing) {
                noSubscribeAck();
            }
        });
        InboundChecks.install(ws);
        InflateLimit.install(ws, settings.getMaxMessageSize());
        listen();
        if (paused) {
            this.paused = true;
            ws.pause();
            keepAlive.pause();
        }
    }

    long number() {
        return number;
    }

    String remoteAddress() {
        return String.valueOf(ws.remoteAddress());
    }

    /** Sends the open messages and starts the connection's clocks: maximum age, acknowledgement, keep-alive. */
    void begin() {
        for (String message : settings.openMessageList()) {
            ws.writeTextMessage(message);
        }
        if (!settings.getMaxConnectionAge().isZero()) {
            ageTimer = timer(settings.getMaxConnectionAge().toMillis(), () -> {
                ageTimer = -1;
                reachedMaxAge();
            });
        }
        if (ack != null) {
            // counts only while the socket reads: a busy route must not make a healthy connection fail its ack
            ackDeadline.start(settings.getSubscribeAckTimeout().toNanos(), paused);
        }
        scheduleKeepAlive();
    }

    /** Stops reading (TCP backpressure); the keep-alive deadlines are off meanwhile, the heartbeat keeps its schedule. */
    void pauseReading() {
        if (ended) {
            return;
        }
        paused = true;
        ws.pause();
        keepAlive.pause();
        ackDeadline.pause();
        scheduleKeepAlive();
    }

    /** Reads again; the keep-alive deadlines count from {@code now}. */
    void resumeReading(long now) {
        if (ended) {
            return;
        }
        paused = false;
        ws.resume();
        keepAlive.resume(now);
        ackDeadline.resume();
        scheduleKeepAlive();
    }

    /**
     * Closes with a close frame and reads on until the server's close reply ends it: what arrives meanwhile is handed
     * over as usual (backpressure still pauses reading while the route is behind), since the server sent it before it
     * saw the close frame. The keep-alive and acknowledgement deadlines are off. Past {@code deadline} the socket is
     * reset, so a server that never answers (or keeps sending) cannot hold the close up; shortly before, the listeners
     * hear that the deadline is near ({@link ConnectionListener#onCloseDeadlineNear}). A second call can only bring the
     * deadline closer. {@link Owner#ended} follows once the reply or the deadline ends it.
     */
    void close(short code, String reason, Duration deadline) {
        if (ended) {
            return;
        }
        long at = clock.nanoTime() + Math.max(0, deadline.toNanos());
        if (closing && at >= closeDeadlineNanos) {
            return;
        }
        if (!closing) {
            closing = true;
            cancelTimers();
            sequenceAtCloseFrame = sequence;
            ws.close(code, reason);
        }
        closeDeadlineNanos = at;
        clock.cancelTimer(closeNearTimer);
        clock.cancelTimer(closeTimer);
        long millis = Math.max(0, deadline.toMillis());
        Duration reserve = StopBudget.spillReserve(deadline);
        closeNearTimer = clock.setTimer(Math.max(1, millis - reserve.toMillis()), () -> {
            closeNearTimer = -1;
            if (!ended) {
                listeners.forEach(l -> l.onCloseDeadlineNear(number, reserve));
            }
        });
        closeTimer = clock.setTimer(Math.max(1, millis), () -> {
            closeTimer = -1;
            if (!ended) {
                resetAfterClose(deadline);
            }
        });
    }

    /** The close reply did not come by the deadline: the socket is reset, and what was read after the close is said. */
    private void resetAfterClose(Duration deadline) {
        reset = true;
        VertxInternals.forceClose(ws);
        end(-1, null, "no close handshake within " + Durations.format(deadline) + ": socket reset after "
                + (sequence - sequenceAtCloseFrame) + " messages read after the close frame");
    }

    /** How the close this side started ended so far; null when this side sent no close frame. */
    CloseReport closeReport() {
        return closing ? new CloseReport(number, sequence - sequenceAtCloseFrame, reset) : null;
    }

    /** A reconnect an operator asked for: the clean close of {@code maxConnectionAge}; nothing if closing already. */
    void closeToReconnect(String reason) {
        closePlanned(AfterClose.Ending.RECONNECT_REQUESTED, reason);
    }

    private void listen() {
        ws.frameHandler(this::onFrame);
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(this::onBinary);
        ws.pongHandler(data -> onPong());
        ws.exceptionHandler(this::onError);
        ws.closeHandler(v -> end(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(),
                InboundChecks.printable(ws.closeReason()), null));
    }

    private void onFrame(WebSocketFrame frame) {
        keepAlive.onInboundFrame(clock.nanoTime());
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
            // the frame's own length: no copy of its payload, exact bytes whatever the text encoding
            int bytes = VertxInternals.frameLength(frame);
            listeners.forEach(l -> l.onBytes(bytes));
        }
    }

    private void onText(String text) {
        if (ackDeadline.isPending() && ack.matches(text)) {
            acknowledged();
        }
        if (heartbeatsAwaitingReply > 0 && pongReply.matches(text)) {
            // the reply to our heartbeat: proof of life for the deadline, not data for the route. Without a heartbeat
            // waiting for it, a message that looks the same is data, and goes on to the route.
            heartbeatsAwaitingReply--;
            listeners.forEach(ConnectionListener::onHeartbeatReply);
            onPong();
            return;
        }
        onMessage();
        receiver.onText(text, number, ++sequence);
    }

    private void onBinary(Buffer data) {
        if (ackDeadline.isPending() && ack.matchesBinary()) {
            acknowledged();
        }
        onMessage();
        receiver.onBinary(data, number, ++sequence);
    }

    private void onMessage() {
        keepAlive.onMessage(clock.nanoTime());
        listeners.forEach(ConnectionListener::onMessage);
    }

    private void acknowledged() {
        ackDeadline.cancel();
    }

    private void onPong() {
        long rtt = keepAlive.onPong(clock.nanoTime());
        if (rtt >= 0) {
            listeners.forEach(l -> l.onPong(rtt));
            if (!paused) {
                // the timer waited for the pong deadline, which is gone now
                scheduleKeepAlive();
            }
        }
    }

    private void onError(Throwable error) {
        if (ended) {
            return;
        }
        InboundChecks.Violation violation = InboundChecks.of(error, settings.getMaxMessageSize());
        if (violation != null) {
            abandon(violation.code(), violation.reason());
        }
        // other errors are followed by the close handler, which carries on
    }

    private void reachedMaxAge() {
        closePlanned(AfterClose.Ending.MAX_AGE,
                "maxConnectionAge " + Durations.format(settings.getMaxConnectionAge()) + " reached");
    }

    /**
     * A planned reconnect: a clean close that reads on, as a stop does, until the server's close reply (within
     * drainTimeout), so that what the server sent before it saw the close frame is not lost, even while reading is
     * paused by backpressure; what arrives is handed over ahead of the disconnect. Then, once the reply (or the
     * deadline) ended it, at once the next connect. Never two sockets.
     */
    private void closePlanned(AfterClose.Ending why, String reason) {
        if (ended || closing) {
            return;
        }
        ending = why;
        ackDeadline.cancel();
        clock.cancelTimer(ageTimer);
        ageTimer = -1;
        listeners.forEach(l -> l.onPlannedReconnect(number, reason));
        close(CLOSE_NORMAL, reason, settings.getDrainTimeout());
    }

    /** The server accepted the socket but never acknowledged the open messages: a failed attempt of its own kind. */
    private void noSubscribeAck() {
        String reason = "no subscribe acknowledgement within " + Durations.format(settings.getSubscribeAckTimeout());
        listeners.forEach(l -> l.onAttemptFailed(failedBefore + 1, FailureCause.NO_SUBSCRIBE_ACK, reason));
        ending = AfterClose.Ending.NO_SUBSCRIBE_ACK;
        abandon(CLOSE_GOING_AWAY, reason);
    }

    /** One timer for the next keep-alive moment; moved on after every check; while reading is paused, pings only. */
    private void scheduleKeepAlive() {
        if (ended || closing) {
            return;
        }
        clock.cancelTimer(keepAliveTimer);
        keepAliveTimer = -1;
        long nanos = keepAlive.nanosUntilNextCheck(clock.nanoTime());
        if (nanos >= 0) {
            // round up: a timer that fires a hair early would find nothing due and only schedule itself again
            long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
            keepAliveTimer = timer(millis, () -> {
                keepAliveTimer = -1;
                checkKeepAlive();
            });
        }
    }

    private void checkKeepAlive() {
        long now = clock.nanoTime();
        switch (keepAlive.check(now)) {
            case SEND_PING -> {
                keepAlive.onPingSent(now);
                ws.writePing(Buffer.buffer(Long.toString(now)));
                if (settings.getPingMessage() != null) {
                    ws.writeTextMessage(settings.getPingMessage());
                    if (pongReply != null) {
                        heartbeatsAwaitingReply++;
                    }
                }
                listeners.forEach(ConnectionListener::onPingSent);
            }
            case PONG_TIMEOUT -> {
                listeners.forEach(ConnectionListener::onPongTimeout);
                abandon(CLOSE_GOING_AWAY, "no pong within " + Durations.format(settings.getPongTimeout()));
            }
            case IDLE_TIMEOUT -> {
                listeners.forEach(ConnectionListener::onIdleTimeout);
                abandon(CLOSE_GOING_AWAY, "no message for " + Durations.format(settings.getIdleTimeout()));
            }
            case NOTHING_DUE -> {
            }
        }
        scheduleKeepAlive();
    }

    /**
     * Gives up on a socket we no longer trust (half-open, idle, oversized): sends a close frame for the peer's sake, then
     * closes TCP at once instead of waiting for a close handshake a dead peer will never answer.
     */
    private void abandon(short code, String reason) {
        ws.close(code, reason);
        // while it reads, Vert.x holds writes back until the read is done: flush, or our close frame is dropped
        VertxInternals.forceClose(ws);
        end(-1, null, reason + " (closed with " + code + ")");
    }

    private void end(int closeCode, String closeReason, String localCause) {
        if (ended) {
            return;
        }
        Duration uptime = finish(closeCode, localCause != null ? localCause : closeReason);
        owner.ended(this, new Ended(closeCode, closeReason, localCause, ending, uptime, closeReport()));
    }

    /** Cancels everything it owns, tells the listeners and lets out what was read before the close. */
    private Duration finish(int closeCode, String reason) {
        ended = true;
        cancelTimers();
        Duration uptime = Duration.ofNanos(clock.nanoTime() - openedAtNanos);
        listeners.forEach(l -> l.onDisconnected(number, closeCode, reason, uptime));
        if (paused) {
            // Vert.x hands a close (or a reset) over at once, while the frames it read before it still wait behind our
            // pause: they were received, so let them out now. They reach the receiver before anything of the next
            // connection (they are queued on this context first), and at most what Vert.x had buffered, which is
            // bounded by its read size, goes past maxInFlight.
            ws.resume();
        }
        return uptime;
    }

    /** A timer that does nothing once the connection ended or is closing. */
    private long timer(long millis, Runnable action) {
        return clock.setTimer(millis, () -> {
            if (!ended && !closing) {
                action.run();
            }
        });
    }

    private void cancelTimers() {
        clock.cancelTimer(keepAliveTimer);
        clock.cancelTimer(ageTimer);
        keepAliveTimer = ageTimer = -1;
        ackDeadline.cancel();
        if (ended) {
            clock.cancelTimer(closeNearTimer);
            clock.cancelTimer(closeTimer);
            closeNearTimer = closeTimer = -1;
        }
    }
}
