package io.wslistener.source;

import java.time.Duration;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Message;

/**
 * A connect or disconnect of the feed, handed to the route as an exchange of its own (option {@code lifecycleEvents}),
 * in order with the messages: {@code connected} before the connection's first message, {@code disconnected} after its
 * last. The body is empty; headers say what happened.
 *
 * @param connected  true for a connect, false for a disconnect
 * @param connection the connection's number
 * @param closeCode  the server's close code, or -1 (none, or a connect)
 * @param cause      why it ended, or null (a connect)
 * @param uptime     how long it lived, or null (a connect)
 */
record LifecycleEvent(boolean connected, long connection, int closeCode, String cause, Duration uptime)
        implements
            Inbound {

    static final String CONNECTED = "connected";
    static final String DISCONNECTED = "disconnected";

    static LifecycleEvent connected(long connection) {
        return new LifecycleEvent(true, connection, -1, null, null);
    }

    static LifecycleEvent disconnected(long connection, int closeCode, String cause, Duration uptime) {
        return new LifecycleEvent(false, connection, closeCode, cause, uptime);
    }

    /** It carries no payload. */
    @Override
    public long size() {
        return 0;
    }

    void applyTo(Message message) {
        message.setBody(null);
        message.setHeader(WsListenerConstants.EVENT, connected ? CONNECTED : DISCONNECTED);
        message.setHeader(WsListenerConstants.CONNECTION, connection);
        if (!connected) {
            message.setHeader(WsListenerConstants.UPTIME, uptime.toMillis());
            if (closeCode > 0) {
                message.setHeader(WsListenerConstants.CLOSE_CODE, closeCode);
            }
            if (cause != null) {
                message.setHeader(WsListenerConstants.CAUSE, cause);
            }
        }
    }
}
