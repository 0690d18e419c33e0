package io.wslistener.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The classification of the failure descriptions the connection loop reports ({@code SimpleName: message}).
 */
class FailureCauseTest {

    @Test
    void classifiesTheLoopsDescriptions() {
        assertEquals(FailureCause.REFUSED,
                FailureCause.of("AnnotatedConnectException: Connection refused: /127.0.0.1:9"));
        assertEquals(FailureCause.REFUSED, FailureCause.of("ConnectException: Connection refused"));
        assertEquals(FailureCause.TIMEOUT, FailureCause.of("ConnectTimeoutException: no handshake within 10s"));
        assertEquals(FailureCause.TIMEOUT,
                FailureCause.of("ConnectTimeoutException: connection timed out after 10000 ms: /10.0.0.1:443"));
        assertEquals(FailureCause.HANDSHAKE_STATUS, FailureCause.of("handshake refused with HTTP 403"));
        assertEquals(FailureCause.TLS, FailureCause.of("SSLHandshakeException: PKIX path building failed"));
        assertEquals(FailureCause.TLS, FailureCause.of("NotSslRecordException: not an SSL/TLS record"));
        assertEquals(FailureCause.TLS, FailureCause.of("SslHandshakeTimeoutException: handshake timed out after 10000ms"));
        assertEquals(FailureCause.OTHER, FailureCause.of("UnknownHostException: feed.invalid"));
        assertEquals(FailureCause.OTHER, FailureCause.of("VertxException: Connection was closed"));
        assertEquals(FailureCause.OTHER, FailureCause.of(null));
    }

    @Test
    void tagValuesAreLowerCase() {
        assertEquals("handshake_status", FailureCause.HANDSHAKE_STATUS.tag());
        assertEquals("refused", FailureCause.REFUSED.tag());
    }
}
