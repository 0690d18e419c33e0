package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.RecordingListener;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.FaultProxy;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keep-alive on a real connection: pings answered by the server keep it, silence on the data channel does not.
 */
class KeepAliveRouteTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    @Test
    void halfOpenConnectionIsNoticedAndReplacedWithinOneAndAHalfSeconds() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                FaultProxy proxy = new FaultProxy(server.port());
                LogCapture log = new LogCapture("io.wslistener.connection")) {
            server.autoSendOnConnect(1, i -> "welcome");
            policy.setPingInterval(Duration.ofMillis(500));
            policy.setPongTimeout(Duration.ofMillis(500));
            policy.setInitialDelay(Duration.ofMillis(100));
            policy.setJitter(0.0);
            List<String> received = new CopyOnWriteArrayList<>();
            yamlCamel.startFeed(proxy.port(), exchange -> received.add(exchange.getMessage().getBody(String.class)));
            ConnectionLoop loop = yamlCamel.feedLoop();
            RecordingListener events = new RecordingListener();
            loop.addListener(events);
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1 && server.pingsReceived() >= 1);

            // the network drops everything, both ways, without closing anything: only the missing pong can tell
            long blackHoledAt = System.nanoTime();
            proxy.blackHole();
            // a ping at most 500 ms away and a 500 ms pong deadline: about 1 s; 4 s leaves room for a loaded CI machine
            // and is still far below what TCP alone would take to notice (minutes), so only the pong can pass this
            await().atMost(4000, TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(10))
                    .until(() -> events.pongTimeouts.get() == 1);
            // the network heals right away, so the only wait left is the loop's own (initialDelay, then the handshake)
            proxy.pass();
            long left = 4000 - Duration.ofNanos(System.nanoTime() - blackHoledAt).toMillis();
            assertTrue(left > 0, "the half-open connection was noticed too late");
            await().atMost(left, TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(10))
                    .until(() -> loop.snapshot().connections() == 2 && loop.state() == ConnectionState.OPEN);

            assertEquals(List.of(-1), events.closeCodes,
                    "the loop gave up on the socket itself; the server closed nothing");
            await().atMost(2, TimeUnit.SECONDS).until(() -> received.size() == 2);
            assertEquals(2, server.totalConnections());
            assertTrue(log.contains("WARN", "Route 'feed': no pong from ws://127.0.0.1:" + proxy.port()
                    + "/feed in time, the connection is taken for dead"),
                    String.join("\n", log.lines()));
        }
    }

    @Test
    void idleFeedWithHealthyPongsIsReconnectedAfterIdleTimeout() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<String> closes = new CopyOnWriteArrayList<>();
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(ws -> {
            // answers pings (Vert.x does that by itself) and sends one message, then nothing
            ws.writeTextMessage("hello " + connections.incrementAndGet());
            ws.closeHandler(v -> closes.add(ws.closeStatusCode() + " " + ws.closeReason()));
        });
        join(server.listen(0, "127.0.0.1"));
        policy.setPingInterval(Duration.ofMillis(100));
        policy.setPongTimeout(Duration.ofMillis(300));
        policy.setIdleTimeout(Duration.ofMillis(600));
        policy.setInitialDelay(Duration.ofMillis(50));
        List<String> received = new CopyOnWriteArrayList<>();
        RecordingListener events = new RecordingListener();
        try (LogCapture log = new LogCapture("io.wslistener.connection")) {
            yamlCamel.startFeed(server.actualPort(),
                    exchange -> received.add(exchange.getMessage().getBody(String.class)));
            yamlCamel.feedLoop().addListener(events);

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("hello 2"));
            assertEquals(1, events.idleTimeouts.get());
            assertEquals(0, events.pongTimeouts.get(), "the peer was alive all along");
            assertTrue(events.pongs.get() >= 3, "pongs kept coming: " + events.pongs.get());
            assertEquals(List.of("1001 no message for 600ms"), closes, "the server is told why");
            assertTrue(log.contains("WARN", "Route 'feed': no message from ws://127.0.0.1:" + server.actualPort()
                    + "/feed within the idle timeout, reconnecting"),
                    String.join("\n", log.lines()));
        }
    }

    @Test
    void feedThatKeepsSendingIsNeverIdle() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(ws -> {
            connections.incrementAndGet();
            long timer = serverVertx.setPeriodic(50, t -> ws.writeTextMessage("tick"));
            ws.closeHandler(v -> serverVertx.cancelTimer(timer));
        });
        join(server.listen(0, "127.0.0.1"));
        policy.setIdleTimeout(Duration.ofMillis(300));
        AtomicInteger ticks = new AtomicInteger();
        yamlCamel.startFeed(server.actualPort(), exchange -> ticks.incrementAndGet());

        await().atMost(5, TimeUnit.SECONDS).until(() -> ticks.get() >= 20); // about 1 s, more than three idle timeouts
        assertEquals(1, connections.get());
    }
}
