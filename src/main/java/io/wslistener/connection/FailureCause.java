package io.wslistener.connection;

import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.vertx.core.http.UpgradeRejectedException;

/**
 * Why a connect attempt failed, as a small fixed set of categories (the {@code cause} tag of the failure meter must not
 * carry free text, or every distinct error message would become a time series of its own).
 */
public enum FailureCause {

    /** Nothing listens on the port (TCP RST on connect). */
    REFUSED,
    /** TCP connect or the whole handshake took longer than the connect timeout. */
    TIMEOUT,
    /** The server answered the upgrade with an HTTP status other than 101. */
    HANDSHAKE_STATUS,
    /** The TLS handshake failed (certificate, protocol, plain text on a TLS port). */
    TLS,
    /** The proxy refused the tunnel (407 wrong credentials, 502 target unreachable) or did not answer in time. */
    PROXY,
    /** The connection opened, but the server did not acknowledge the open messages within subscribeAckTimeout. */
    NO_SUBSCRIBE_ACK,
    /** Anything else: unknown host, connection reset during the handshake, ... */
    OTHER;

    /** The tag value: lower case, as Prometheus label values usually are. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Classifies the error of a failed attempt, looking through its causes. */
    public static FailureCause of(Throwable error) {
        if (error instanceof UpgradeRejectedException) {
            return HANDSHAKE_STATUS;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            // before TIMEOUT and REFUSED: Netty's proxy exceptions are ConnectExceptions, its proxy timeout says "timed out"
            if (type.startsWith("io.netty.handler.proxy.")) {
                return PROXY;
            }
            // Netty's NotSslRecordException is no SSLException, but says the same thing
            if (t instanceof SSLException || type.startsWith("io.netty.handler.ssl.")) {
                return TLS;
            }
            // before ConnectException: Netty's ConnectTimeoutException is one
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return REFUSED;
            }
        }
        return OTHER;
    }

    /** One line for logs and health: the HTTP status of a refused handshake, or the error with its innermost cause. */
    public static String describe(Throwable cause) {
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
}
