package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop gives up only when told to (a close code in stopOnCloseCodes, maxAttempts); then the route stops, loudly,
 * and health keeps saying why.
 */
class GiveUpTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;
    private LogCapture log;

    @BeforeEach
    void setUp() {
        server = new TestWebSocketServer(serverVertx).start();
        log = new LogCapture("io.wslistener.connection");
        policy.setInitialDelay(Duration.ofMillis(50));
    }

    @AfterEach
    void tearDown() {
        log.close();
        server.stop();
    }

    @Test
    void aCloseCodeInStopOnCloseCodesStopsTheRoute() throws Exception {
        startRoute(server.port());
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.openSockets() == 1);

        server.closeAll((short) 1008, "subscription not allowed");

        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> camel.getRouteController().getRouteStatus("feed") == ServiceStatus.Stopped);
        assertEquals(ConnectionState.FAILED, yamlCamel.feedLoop().state());
        assertTrue(log.contains("ERROR", "Route 'feed': giving up on " + server.url("/feed")
                + ": closed by server with 1008 subscription not allowed, a close code configured"
                + " to stop the route (stopOnCloseCodes); stopping the route"),
                String.join("\n", log.lines()));
        await().during(Duration.ofMillis(300)).atMost(1, TimeUnit.SECONDS).until(() -> server.totalConnections() == 1);
    }

    @Test
    void otherCloseCodesReconnect() throws Exception {
        startRoute(server.port());
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.openSockets() == 1);

        server.closeAll((short) 1011, "internal error");

        await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 2 && server.openSockets() == 1);
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
    }

    @Test
    void maxAttemptsFailedInARowStopsTheRoute() throws Exception {
        policy.setMaxAttempts(3);
        int port = server.port();
        server.stop();
        startRoute(port);

        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> camel.getRouteController().getRouteStatus("feed") == ServiceStatus.Stopped);
        assertEquals(ConnectionState.FAILED, yamlCamel.feedLoop().state());
        String cause = yamlCamel.feedLoop().snapshot().lastCause();
        assertTrue(cause.endsWith("; 3 attempts failed in a row (maxAttempts=3)"), cause);
        assertTrue(
                log.contains("ERROR",
                        "Route 'feed': giving up on " + server.url("/feed") + ": " + cause + "; stopping the route"),
                String.join("\n", log.lines()));
        assertEquals(2, log.lines().stream().filter(line -> line.startsWith("WARN")).count(),
                "one line per failed attempt that was retried: " + log.lines());
    }

    private void startRoute(int port) throws Exception {
        yamlCamel.startFeed(port, exchange -> {
        });
    }
}
