package io.wslistener.connection;

import java.time.Duration;

/**
 * What the connection loop tells the outside (logs, meters, health). All calls come from the loop's Vert.x context;
 * implementations must be quick and must not block.
 */
public interface ConnectionListener {

    default void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
    }

    /** A handshake completed; {@code attempts} counts the attempts this connection took (1 when the first worked). */
    default void onConnected(long connectionNumber, int attempts, String remote) {
    }

    /**
     * The open connection ended.
     *
     * @param closeCode the server's close code, or -1 when there was none (reset, timeout, local close)
     */
    default void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
    }

    /**
     * @param attempt     how many attempts failed in a row, this one included
     * @param cause       the category, for meters
     * @param description one line for logs and health details
     */
    default void onAttemptFailed(int attempt, FailureCause cause, String description) {
    }

    default void onBackingOff(Duration delay, int nextAttempt) {
    }

    default void onGaveUp(String reason) {
    }

    /** The loop closes the open connection on its own terms, to reconnect at once (maxConnectionAge, reconnectNow). */
    default void onPlannedReconnect(long connectionNumber, String reason) {
    }

    /**
     * A connection this side closed (a stop, a planned reconnect) still has no close reply, and its close deadline is
     * {@code left} away: what it reads from now on should not wait for a slow route, or the deadline cuts it off.
     */
    default void onCloseDeadlineNear(long connectionNumber, Duration left) {
    }

    default void onPingSent() {
    }

    default void onPong(long roundTripNanos) {
    }

    /** A message matching {@code pongMessage} arrived while a heartbeat waited for it: taken as its reply, not as data. */
    default void onHeartbeatReply() {
    }

    default void onPongTimeout() {
    }

    default void onIdleTimeout() {
    }

    /** A complete data message (text or binary) arrived. */
    default void onMessage() {
    }

    /** Payload bytes of data frames arrived (counted per frame, so a message's bytes are exact for any encoding). */
    default void onBytes(int bytes) {
    }

    default void onReadingPaused() {
    }

    default void onReadingResumed(long pausedNanos) {
    }
}
