package io.wslistener.connection;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

import javax.net.ssl.SSLHandshakeException;

import io.netty.handler.ssl.NotSslRecordException;
import io.vertx.core.VertxException;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The classification of the errors a connect attempt fails with.
 */
class FailureCauseTest {

    @Test
    void classifiesTheErrorsOfFailedAttempts() {
        assertEquals(FailureCause.REFUSED, FailureCause.of(new ConnectException("Connection refused")));
        assertEquals(FailureCause.TIMEOUT,
                FailureCause.of(new io.netty.channel.ConnectTimeoutException("connection timed out after 10000 ms")));
        assertEquals(FailureCause.TIMEOUT,
                FailureCause.of(new ConnectTimeoutException(Duration.ofSeconds(10))));
        assertEquals(FailureCause.HANDSHAKE_STATUS,
                FailureCause.of(new UpgradeRejectedException("refused", 403, HeadersMultiMap.httpHeaders(), null)));
        assertEquals(FailureCause.TLS, FailureCause.of(new SSLHandshakeException("PKIX path building failed")));
        assertEquals(FailureCause.TLS, FailureCause.of(new NotSslRecordException("not an SSL/TLS record")));
        assertEquals(FailureCause.TLS,
                FailureCause.of(new VertxException(new SSLHandshakeException("certificate_unknown"))));
        assertEquals(FailureCause.OTHER, FailureCause.of(new UnknownHostException("feed.invalid")));
        assertEquals(FailureCause.OTHER, FailureCause.of(new VertxException("Connection was closed")));
        assertEquals(FailureCause.OTHER, FailureCause.of(null));
        assertEquals(FailureCause.PROXY,
                FailureCause.of(new io.netty.handler.proxy.HttpProxyHandler.HttpProxyConnectException(
                        "http, basic, /127.0.0.1:1 => /127.0.0.1:2, status: 407 Proxy Authentication Required", null)));
    }

    @Test
    void tagValuesAreLowerCase() {
        assertEquals("handshake_status", FailureCause.HANDSHAKE_STATUS.tag());
        assertEquals("refused", FailureCause.REFUSED.tag());
    }
}
