package io.wslistener.connection;

import java.time.Duration;

import io.wslistener.support.Durations;

/** An attempt that did not finish within the connect timeout. */
final class ConnectTimeoutException extends Exception {

    ConnectTimeoutException(Duration timeout) {
        this(timeout, null);
    }

    /** @param stillComputing what had not returned (a URL or header computation), or null for the handshake */
    ConnectTimeoutException(Duration timeout, String stillComputing) {
        super(stillComputing == null ? "no handshake within " + Durations.format(timeout)
                : stillComputing + " did not return within connectTimeout " + Durations.format(timeout), null, false,
                false);
    }
}
