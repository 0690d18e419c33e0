package io.wslistener.connection;

/**
 * The states of one route's connection loop. Logs, meters and health checks all read this one value.
 */
public enum ConnectionState {

    /** A connect attempt (TCP, TLS and the WebSocket handshake) is under way. */
    CONNECTING,
    /** The WebSocket is open and messages flow. */
    OPEN,
    /** Waiting before the next attempt. */
    BACKING_OFF,
    /** Stopped on purpose (route stop or suspend). */
    STOPPED,
    /** The loop gave up (max attempts, or a close code / handshake status configured to stop the route). */
    FAILED;

    /** The numeric value exported by the connection state gauge. */
    public int gaugeValue() {
        return ordinal();
    }
}
