package io.wslistener.connection;

/**
 * Keep-alive bookkeeping for one open connection: when a ping is due, when a pong is overdue, when the feed has been
 * idle too long. Pure: the caller passes the time and acts on the verdict.
 * <p>
 * Any inbound frame proves the peer alive, so the pong deadline counts from the later of the ping and the last inbound
 * frame: a peer that is busy sending a backlog is not taken for dead because its pong is queued behind the data.
 * While the consumer has paused reading (backpressure) silence proves nothing, so the deadlines are suspended and
 * restart on resume; pings still go out on schedule.
 * <p>
 * Pings keep their own schedule, one every ping interval whatever the server answers: a server that wants a heartbeat
 * (an application-level {@code pingMessage}) closes a connection that stops sending one, so a missing pong must not
 * hold the next ping back. The pong deadline counts from the oldest ping not yet answered.
 */
public final class KeepAlive {

    public enum Verdict {
        NOTHING_DUE, SEND_PING, PONG_TIMEOUT, IDLE_TIMEOUT
    }

    private final long pingIntervalNanos;
    private final long pongTimeoutNanos;
    private final long idleTimeoutNanos;

    private long lastInboundFrame;
    private long lastMessage;
    private long lastPingSent;
    private long outstandingPingSince = -1;
    private boolean paused;

    /**
     * @param pingIntervalNanos 0 disables pings
     * @param pongTimeoutNanos  how long after a ping (or the last inbound frame) a pong may take
     * @param idleTimeoutNanos  0 disables the idle timeout
     * @param now               the time the connection opened
     */
    public KeepAlive(long pingIntervalNanos, long pongTimeoutNanos, long idleTimeoutNanos, long now) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.pongTimeoutNanos = pongTimeoutNanos;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.lastInboundFrame = now;
        this.lastMessage = now;
        this.lastPingSent = now;
    }

    /** Any frame from the peer: data, ping, pong or close. */
    public void onInboundFrame(long now) {
        lastInboundFrame = now;
    }

    /** A complete data message (text or binary). */
    public void onMessage(long now) {
        lastInboundFrame = now;
        lastMessage = now;
    }

    /**
     * A pong arrived.
     *
     * @return the round trip in nanoseconds, or -1 if no ping was outstanding (an unsolicited pong)
     */
    public long onPong(long now) {
        lastInboundFrame = now;
        if (outstandingPingSince < 0) {
            return -1;
        }
        long rtt = now - outstandingPingSince;
        outstandingPingSince = -1;
        return rtt;
    }

    public void onPingSent(long now) {
        lastPingSent = now;
        if (outstandingPingSince < 0) {
            outstandingPingSince = now;
        }
    }

    public void pause() {
        paused = true;
    }

    /** Reading resumed: the deadlines count again from now. */
    public void resume(long now) {
        paused = false;
        lastInboundFrame = now;
        lastMessage = now;
        if (outstandingPingSince >= 0) {
            outstandingPingSince = now;
        }
    }

    public Verdict check(long now) {
        if (paused) {
            // silence proves nothing while we do not read, but the server still wants its heartbeat
            return pingIntervalNanos > 0 && now - lastPingSent >= pingIntervalNanos ? Verdict.SEND_PING
                    : Verdict.NOTHING_DUE;
        }
        if (outstandingPingSince >= 0 && now - Math.max(outstandingPingSince, lastInboundFrame) >= pongTimeoutNanos) {
            return Verdict.PONG_TIMEOUT;
        }
        if (idleTimeoutNanos > 0 && now - lastMessage >= idleTimeoutNanos) {
            return Verdict.IDLE_TIMEOUT;
        }
        if (pingIntervalNanos > 0 && now - lastPingSent >= pingIntervalNanos) {
            return Verdict.SEND_PING;
        }
        return Verdict.NOTHING_DUE;
    }

    /**
     * How long from {@code now} until {@link #check(long)} can next find something due: the ping's due time, the pong
     * deadline or the idle deadline, whichever comes first. The owner sets one timer for that moment instead of polling,
     * so a deadline is seen when it passes, not up to a polling period later.
     *
     * @return nanoseconds (0 when something is due now), or -1 when nothing can become due (all disabled, or paused
     *         without pings)
     */
    public long nanosUntilNextCheck(long now) {
        if (paused) {
            return pingIntervalNanos > 0 ? Math.max(0, lastPingSent + pingIntervalNanos - now) : -1;
        }
        long next = Long.MAX_VALUE;
        if (outstandingPingSince >= 0) {
            next = Math.max(outstandingPingSince, lastInboundFrame) + pongTimeoutNanos - now;
        }
        if (pingIntervalNanos > 0) {
            next = Math.min(next, lastPingSent + pingIntervalNanos - now);
        }
        if (idleTimeoutNanos > 0) {
            next = Math.min(next, lastMessage + idleTimeoutNanos - now);
        }
        return next == Long.MAX_VALUE ? -1 : Math.max(0, next);
    }
}
