package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Stopping a route, whatever its connection is doing, stops promptly and leaves nothing running.
 */
class RouteStopTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();
    private final AtomicInteger delivered = new AtomicInteger();

    @Test
    void stopDuringAReconnectWaitIsPromptAndLeavesNothingRunning() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).rejectHandshakesWith(503).start()) {
            policy.setInitialDelay(Duration.ofMillis(800));
            policy.setJitter(0.0);
            startRoute(server.port());
            ConnectionLoop loop = yamlCamel.feedLoop();
            await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.BACKING_OFF);
            assertEquals(1, server.rejectedHandshakes());

            // the wait is 800 ms; the stop does not sit it out
            assertTimeoutPreemptively(Duration.ofMillis(500), () -> camel.getRouteController().stopRoute("feed"));

            assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus("feed"));
            assertEquals(ConnectionState.STOPPED, loop.state());
            assertEquals(0, yamlCamel.consumer("feed").getInFlight());
            // the retry timer was cancelled: no attempt after the stop, well past the moment it would have fired
            await().during(Duration.ofMillis(1200)).atMost(3, TimeUnit.SECONDS)
                    .until(() -> server.handshakeHeaders().size() == 1);
        }
    }

    @Test
    void stopDuringAPendingHandshakeLeavesNoSocketOpen() throws Exception {
        AtomicInteger open = new AtomicInteger();
        NetServer server = serverVertx.createNetServer().connectHandler(socket -> {
            open.incrementAndGet();
            socket.handler(request -> {
                // never answers the upgrade
            });
            socket.closeHandler(v -> open.decrementAndGet());
        });
        join(server.listen(0, "127.0.0.1"));
        startRoute(server.actualPort());
        ConnectionLoop loop = yamlCamel.feedLoop();
        await().atMost(5, TimeUnit.SECONDS).until(() -> open.get() == 1 && loop.state() == ConnectionState.CONNECTING);

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> camel.getRouteController().stopRoute("feed"));

        assertEquals(ConnectionState.STOPPED, loop.state());
        await().atMost(2, TimeUnit.SECONDS).until(() -> open.get() == 0);
    }

    @Test
    void stopWhileConnectedClosesWithNormalClosure() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).autoSendOnConnect(1, i -> "hello")
                .start()) {
            startRoute(server.port());
            ConnectionLoop loop = yamlCamel.awaitFeedOpen();
            await().atMost(5, TimeUnit.SECONDS).until(() -> delivered.get() == 1);

            camel.getRouteController().stopRoute("feed");

            await().atMost(2, TimeUnit.SECONDS).until(() -> server.openSockets() == 0);
            assertEquals((short) 1000, server.lastConnection().closeStatusCode());
            assertEquals(ConnectionState.STOPPED, loop.state());
            assertEquals(0, yamlCamel.consumer("feed").getInFlight(), "nothing left to deliver");
            await().during(Duration.ofMillis(300)).atMost(1, TimeUnit.SECONDS)
                    .until(() -> server.totalConnections() == 1);
        }
    }

    @Test
    void aStoppedRouteStartsAgain() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = serverVertx.createHttpServer()
                .webSocketHandler(ws -> ws.writeTextMessage("hello " + connections.incrementAndGet()));
        join(server.listen(0, "127.0.0.1"));
        List<String> received = new CopyOnWriteArrayList<>();
        yamlCamel.startFeed(server.actualPort(), exchange -> received.add(exchange.getMessage().getBody(String.class)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> received.equals(List.of("hello 1")));

        camel.getRouteController().stopRoute("feed");
        camel.getRouteController().startRoute("feed");

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.equals(List.of("hello 1", "hello 2")));
        assertEquals(ConnectionState.OPEN, yamlCamel.feedLoop().state());
    }

    private void startRoute(int port) throws Exception {
        yamlCamel.startFeed(port, exchange -> delivered.incrementAndGet());
    }
}
