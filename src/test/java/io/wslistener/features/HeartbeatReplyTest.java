package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wslistener.metrics.MeterNames;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exchange that ignores WebSocket pings and wants {"op":"ping"} on a schedule, answering {"op":"pong"}; it closes a
 * connection that sent no heartbeat for 1.5 s.
 */
class HeartbeatReplyTest extends FeatureTestSupport {

    private static final String PING = "{\"op\":\"ping\"}";
    private static final String PONG = "{\"op\":\"pong\"}";

    @Test
    void applicationHeartbeatKeepsItsScheduleAndItsReplyCountsAsThePongWithoutReachingTheRoute() throws Exception {
        try (TestWebSocketServer server = heartbeatServer(() -> PONG)) {
            policy.setPingInterval(Duration.ofMillis(200));
            policy.setPongTimeout(Duration.ofMillis(1000));
            policy.setPingMessage(PING);
            policy.setPongMessage(PONG);
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> server.lastConnection() != null
                    && server.lastConnection().receivedTexts().stream().filter(PING::equals).count() >= 8);

            assertEquals(1, server.totalConnections(), "the server never had to close for lack of heartbeats");
            assertEquals(0, events.pongTimeouts.get(), "the {\"op\":\"pong\"} replies count as pongs");
            assertTrue(events.pongs.get() >= 5, "pongs: " + events.pongs.get());
            assertTrue(server.lastConnection().pingsReceived() >= 8,
                    "WebSocket pings went out too, and the server ignored them: "
                            + server.lastConnection().pingsReceived());
            assertEquals(List.of("welcome"), received, "the heartbeat replies are not passed to the route");
        }
    }

    @Test
    void aPatternMatchesRepliesThatCarryATimestamp() throws Exception {
        try (TestWebSocketServer server = heartbeatServer(() -> "{\"op\":\"pong\",\"ts\":" + System.nanoTime() + "}")) {
            policy.setPingInterval(Duration.ofMillis(200));
            policy.setPongTimeout(Duration.ofMillis(1000));
            policy.setPingMessage(PING);
            policy.setPongMessage("regex:^\\{\"op\":\"pong\",\"ts\":\\d+\\}$");
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.pongs.get() >= 5);
            assertEquals(1, server.totalConnections());
            assertEquals(List.of("welcome"), received);
        }
    }

    @Test
    void aMessageLikeTheReplyIsDataWhileNoHeartbeatWaitsAndEachReplyIsCounted() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        yamlCamel.bean(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        // before any heartbeat went out: two messages that look like the reply, in between data
        try (TestWebSocketServer server = heartbeatServer(() -> PONG)
                .autoSendOnConnect(3, i -> i == 2 ? "{\"op\":\"trade\"}" : PONG)) {
            policy.setPingInterval(Duration.ofMillis(300));
            policy.setPingMessage(PING);
            policy.setPongMessage(PONG);
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.heartbeatReplies.get() >= 3);
            assertEquals(List.of(PONG, "{\"op\":\"trade\"}", PONG), received,
                    "no heartbeat waited for them: data, passed on in order");
            double counted = registry.get(MeterNames.HEARTBEAT_REPLIES).tag(MeterNames.ROUTE_ID, "feed").counter()
                    .count();
            assertTrue(counted >= 3 && counted <= events.heartbeatReplies.get(), "counted: " + counted);
            long heartbeats = server.lastConnection().receivedTexts().stream().filter(PING::equals).count();
            assertTrue(events.heartbeatReplies.get() <= heartbeats,
                    "never more replies than heartbeats: " + events.heartbeatReplies.get() + " of " + heartbeats);
        }
    }

    /** Ignores WebSocket pings, answers {"op":"ping"} and closes a connection without one for 1.5 s. */
    private TestWebSocketServer heartbeatServer(java.util.function.Supplier<String> reply) {
        TestWebSocketServer server = new TestWebSocketServer(serverVertx).ignorePings().start();
        server.autoSendOnConnect(1, i -> "welcome");
        Map<ServerConnection, Long> lastHeartbeat = new ConcurrentHashMap<>();
        server.onText((c, text) -> {
            if (text.equals(PING)) {
                lastHeartbeat.put(c, System.nanoTime());
                c.sendText(reply.get());
            }
        });
        serverVertx.setPeriodic(50, t -> {
            for (ServerConnection c : server.openConnections()) {
                long last = lastHeartbeat.computeIfAbsent(c, k -> System.nanoTime());
                if (System.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(1500)) {
                    c.close((short) 4000, "no heartbeat");
                }
            }
        });
        return server;
    }
}
