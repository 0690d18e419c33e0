package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.RecordingListener;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.FaultProxy;
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
 * The server goes away and comes back; the route stays up and carries on.
 */
class ReconnectTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private static final String SUBSCRIBE = "{\"op\":\"subscribe\",\"channels\":[\"quotes\"]}";

    /** "connection/sequence body" of every message the route received. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private TestWebSocketServer server;

    @BeforeEach
    void fastRetries() {
        server = new TestWebSocketServer(serverVertx).autoSendOnConnect(1, i -> "quote");
        policy.setInitialDelay(Duration.ofMillis(50));
        policy.setMaxDelay(Duration.ofMillis(200));
        policy.setOpenMessages(SUBSCRIBE + "\n");
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void startsWhileTheServerIsDownAndConnectsWhenItComesUp() throws Exception {
        int port = server.start().port();
        server.stop();
        try (LogCapture log = new LogCapture("io.wslistener.connection")) {
            startRoute(port);

            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> log.lines().stream().filter(l -> l.startsWith("WARN")).count() >= 2);
            assertTrue(log.contains("WARN", "Route 'feed': attempt 1 failed: "), String.join("\n", log.lines()));
            assertTrue(yamlCamel.feedLoop().state() != ConnectionState.OPEN);

            server.start(port);

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1/1 quote"));
            assertEquals(ConnectionState.OPEN, yamlCamel.feedLoop().state());
            assertEquals(List.of(SUBSCRIBE), server.receivedTexts());
        }
    }

    @Test
    void resumesAfterAGracefulRestart() throws Exception {
        int port = server.start().port();
        startRoute(port);
        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1/1 quote"));
        RecordingListener events = new RecordingListener();
        yamlCamel.feedLoop().addListener(events);

        server.stopGracefully((short) 1001, "restarting");
        server.start(port);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("2/1 quote"));
        assertEquals(List.of("1/1 quote", "2/1 quote"), received);
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.receivedTexts().size() >= 2);
        assertEquals(List.of(SUBSCRIBE, SUBSCRIBE), server.receivedTexts(),
                "the open messages go out again on every connect");
        assertEquals(List.of(1001), events.closeCodes);
        assertEquals(1, server.maxConcurrentSockets());
    }

    @Test
    void resumesAfterAnAbruptReset() throws Exception {
        int port = server.start().port();
        try (FaultProxy proxy = new FaultProxy(port)) {
            startRoute(proxy.port());
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1/1 quote"));
            RecordingListener events = new RecordingListener();
            yamlCamel.feedLoop().addListener(events);

            proxy.resetAll(); // RST to both sides: what a crashed server (or a NAT dropping state) looks like
            server.restart();

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("2/1 quote"));
            assertEquals(List.of("1/1 quote", "2/1 quote"), received);
            // the server greets each connection without waiting for the subscribe, so that may still be on its way
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.receivedTexts().size() >= 2);
            assertEquals(List.of(SUBSCRIBE, SUBSCRIBE), server.receivedTexts());
            assertEquals(List.of(-1), events.closeCodes, "a reset carries no close code");
            assertEquals(1, server.maxConcurrentSockets());
        }
    }

    private void startRoute(int port) throws Exception {
        yamlCamel.startFeed(port, exchange -> received
                .add(exchange.getMessage().getHeader(WsListenerConstants.CONNECTION) + "/"
                        + exchange.getMessage().getHeader(WsListenerConstants.SEQUENCE) + " "
                        + exchange.getMessage().getBody(String.class)));
    }
}
