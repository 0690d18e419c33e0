package io.wslistener.features;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.testsupport.ConnectProxy;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.Socks5Proxy;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed reached through an HTTP CONNECT proxy on loopback, as from a corporate network.
 */
class ProxyTest extends FeatureTestSupport {

    @Test
    void theConnectionGoesThroughTheProxyWithItsCredentialsWhichTheLogMasks() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                ConnectProxy proxy = new ConnectProxy(serverVertx).requireCredentials("feed", "p@ss:w0rd");
                LogCapture log = new LogCapture("io.wslistener.source.WsListenerConsumer")) {
            server.autoSendOnConnect(1, i -> "through the proxy");
            policy.setProxy("http://feed:p%40ss%3Aw0rd@127.0.0.1:" + proxy.port());
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1);
            assertEquals(1, proxy.requests().size());
            assertTrue(proxy.requests().get(0).startsWith("CONNECT 127.0.0.1:" + server.port() + " "),
                    proxy.requests().get(0));
            assertTrue(log.contains("INFO", "connecting through proxy http://feed:xxxxxx@127.0.0.1:" + proxy.port()),
                    String.join("\n", log.lines()));
            assertFalse(String.join("\n", log.lines()).contains("w0rd"));
        }
    }

    @Test
    void wrongCredentialsAreAFailedAttempt() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                ConnectProxy proxy = new ConnectProxy(serverVertx).requireCredentials("feed", "right")) {
            policy.setProxy("http://feed:wrong@127.0.0.1:" + proxy.port());
            policy.setMaxAttempts(2);
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> yamlCamel.consumer("feed").getLoop().state() == ConnectionState.FAILED);
            assertEquals(0, server.totalConnections());
            assertEquals(2, proxy.requests().size());
            assertTrue(events.failures.stream().noneMatch(f -> f.contains("wrong")), events.failures.toString());
            assertEquals(List.of(FailureCause.PROXY, FailureCause.PROXY), events.failureCauses);
            assertTrue(events.failures.get(0).contains("407 Proxy Authentication Required"), events.failures.get(0));
        }
    }

    @Test
    void aSocks5ProxyWithCredentials() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                Socks5Proxy proxy = new Socks5Proxy(serverVertx).requireCredentials("feed", "s3cret")) {
            server.autoSendOnConnect(1, i -> "through socks");
            policy.setProxy("socks5://feed:s3cret@127.0.0.1:" + proxy.port());
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1);
            assertEquals(List.of("127.0.0.1:" + server.port()), proxy.targets());
        }
    }
}
