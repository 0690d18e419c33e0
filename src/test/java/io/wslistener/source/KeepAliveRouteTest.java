package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.HttpServer;
import io.wslistener.connection.RecordingListener;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keep-alive on a real connection: pings answered by the server keep it, silence on the data channel does not.
 */
class KeepAliveRouteTest extends RouteTestSupport {

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
            start(new RouteBuilder() {
                @Override
                public void configure() {
                    from("ws-listener:127.0.0.1:" + server.actualPort() + "/feed").routeId("feed").routePolicyRef("policy")
                            .process(exchange -> received.add(exchange.getMessage().getBody(String.class)));
                }
            });
            consumer("feed").getLoop().addListener(events);

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
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.actualPort() + "/feed").routeId("feed").routePolicyRef("policy")
                        .process(exchange -> ticks.incrementAndGet());
            }
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> ticks.get() >= 20); // about 1 s, more than three idle timeouts
        assertEquals(1, connections.get());
    }
}
