package io.wslistener.metrics;

import java.util.Locale;

/**
 * Why a connect attempt failed, as a small fixed set of categories: the {@code cause} tag of
 * {@code wslistener.connect.failures} must not carry free text, or every distinct error message would become a time
 * series of its own.
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
    /** Anything else: unknown host, connection reset during the handshake, ... */
    OTHER;

    /** The tag value: lower case, as Prometheus label values usually are. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies the cause the connection loop reports for a failed attempt. The loop describes a failure as
     * {@code "SimpleExceptionName: message"}, or {@code "handshake refused with HTTP <status>"} for a rejected upgrade,
     * so the exception's simple name is what is classified; the message is consulted only for "refused", which Netty
     * reports as a {@code ConnectException} subclass whose message says so.
     */
    public static FailureCause of(String description) {
        if (description == null || description.isEmpty()) {
            return OTHER;
        }
        if (description.startsWith("handshake refused with HTTP")) {
            return HANDSHAKE_STATUS;
        }
        int colon = description.indexOf(':');
        String type = colon < 0 ? description : description.substring(0, colon);
        String lowerType = type.toLowerCase(Locale.ROOT);
        if (lowerType.contains("ssl") || lowerType.contains("tls")) {
            return TLS;
        }
        if (lowerType.contains("timeout")) {
            return TIMEOUT;
        }
        if (lowerType.endsWith("connectexception")
            || description.toLowerCase(Locale.ROOT).contains("connection refused")) {
            return REFUSED;
        }
        return OTHER;
    }
}
