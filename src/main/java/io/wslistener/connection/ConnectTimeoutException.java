package io.wslistener.connection;

import java.time.Duration;

import io.wslistener.support.Durations;

/** An attempt that did not finish within the connect timeout. */
final class ConnectTimeoutException extends Exception {

    ConnectTimeoutException(Duration timeout) {
        super("no handshake within " + Durations.format(timeout), null, false, false);
    }
}
