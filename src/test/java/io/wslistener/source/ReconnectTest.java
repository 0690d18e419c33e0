package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.RecordingListener;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server goes away and comes back; the route stays up and carries on.
 */
class ReconnectTest extends RouteTestSupport {

    private static final String SUBSCRIBE = "{\"op\":\"subscribe\",\"channels\":[\"quotes\"]}";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private Feed feed;

    @BeforeEach
    void fastRetries() throws Exception {
        feed = new Feed(serverVertx);
        policy.setInitialDelay(Duration.ofMillis(50));
        policy.setMaxDelay(Duration.ofMillis(200));
        policy.setOpenMessages(SUBSCRIBE + "\n");
    }

    @Test
    void startsWhileTheServerIsDownAndConnectsWhenItComesUp() throws Exception {
        int port = feed.start(0);
        feed.stop();
        try (LogCapture log = new LogCapture("io.wslistener.connection")) {
            startRoute(port);

            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> log.lines().stream().filter(l -> l.startsWith("WARN")).count() >= 2);
            assertTrue(log.contains("WARN", "Route 'feed': attempt 1 failed: "), String.join("\n", log.lines()));
            assertTrue(consumer("feed").getLoop().state() != ConnectionState.OPEN);

            feed.start(port);

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1.1"));
            assertEquals(ConnectionState.OPEN, consumer("feed").getLoop().state());
            assertEquals(List.of(SUBSCRIBE), feed.texts);
        }
    }

    @Test
    void resumesAfterAGracefulRestart() throws Exception {
        int port = feed.start(0);
        startRoute(port);
        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1.1"));
        RecordingListener events = new RecordingListener();
        consumer("feed").getLoop().addListener(events);

        feed.closeAll((short) 1001);
        feed.stop();
        feed.start(port);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("2.1"));
        assertEquals(List.of("1.1", "2.1"), received);
        assertEquals(List.of(SUBSCRIBE, SUBSCRIBE), feed.texts, "the open messages go out again on every connect");
        assertEquals(List.of(1001), events.closeCodes);
    }

    @Test
    void resumesAfterAnAbruptReset() throws Exception {
        int port = feed.start(0);
        startRoute(port);
        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("1.1"));
        RecordingListener events = new RecordingListener();
        consumer("feed").getLoop().addListener(events);

        feed.resetAll();
        feed.stop();
        feed.start(port);

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("2.1"));
        assertEquals(List.of("1.1", "2.1"), received);
        assertEquals(List.of(SUBSCRIBE, SUBSCRIBE), feed.texts);
        assertEquals(List.of(-1), events.closeCodes, "a reset carries no close code");
    }

    @Test
    void aFlappingServerNeverSeesTwoSocketsAtOnce() throws Exception {
        policy.setInitialDelay(Duration.ofMillis(10));
        policy.setMaxDelay(Duration.ofMillis(40));
        policy.setStableUptime(Duration.ofSeconds(1));
        // connection n: 1/3 closed at once, 1/3 reset at once, 1/3 closed a little later; every 5th attempt refused
        feed.flapping = true;
        int port = feed.start(0);
        startRoute(port);

        await().atMost(20, TimeUnit.SECONDS).until(() -> feed.connections.get() >= 30);
        assertEquals(1, feed.maxOpen.get(), "at most one socket open at a time");
        assertTrue(feed.refused.get() >= 5, "refused handshakes are part of the flapping: " + feed.refused.get());
    }

    private void startRoute(int port) throws Exception {
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId("feed").routePolicyRef("policy")
                        .process(exchange -> received.add(exchange.getMessage().getBody(String.class)
                                                          + check(exchange)));
            }
        });
    }

    /** Nothing when the headers agree with the body ("connection.sequence"), otherwise what is wrong. */
    private static String check(Exchange exchange) {
        String expected = exchange.getMessage().getHeader(WsListenerConstants.CONNECTION) + "."
                          + exchange.getMessage().getHeader(WsListenerConstants.SEQUENCE);
        return expected.equals(exchange.getMessage().getBody(String.class)) ? "" : " (headers say " + expected + ")";
    }

    /**
     * A feed that can be stopped and started again on the same port. Each connection gets "n.1" where n counts the
     * connections; open sockets are counted on the server side.
     */
    private static final class Feed {
        private final Vertx vertx;
        private final Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
        final List<String> texts = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        private final AtomicInteger attempts = new AtomicInteger();
        volatile boolean flapping;
        private HttpServer server;

        Feed(Vertx vertx) {
            this.vertx = vertx;
        }

        int start(int port) throws Exception {
            server = vertx.createHttpServer().webSocketHandler(this::accept);
            join(server.listen(port, "127.0.0.1"));
            return server.actualPort();
        }

        void stop() throws Exception {
            join(server.close());
        }

        void closeAll(short code) {
            sockets.forEach(ws -> ws.close(code, "restarting"));
        }

        void resetAll() {
            sockets.forEach(Feed::reset);
        }

        private static void reset(ServerWebSocket ws) {
            var channel = ((WebSocketInternal) ws).channelHandlerContext().channel();
            channel.eventLoop().execute(() -> {
                channel.config().setOption(ChannelOption.SO_LINGER, 0); // RST instead of FIN
                // past the pipeline, which would otherwise send a close frame first
                channel.unsafe().close(channel.voidPromise());
            });
        }

        private void accept(ServerWebSocket ws) {
            if (flapping && attempts.incrementAndGet() % 5 == 0) {
                refused.incrementAndGet();
                ws.reject(503);
                return;
            }
            int n = connections.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            sockets.add(ws);
            ws.textMessageHandler(texts::add);
            ws.closeHandler(v -> {
                sockets.remove(ws);
                open.decrementAndGet();
            });
            ws.writeTextMessage(n + ".1");
            if (flapping) {
                switch (n % 3) {
                    case 0 -> ws.close((short) 1011, "overloaded");
                    case 1 -> reset(ws);
                    default -> vertx.setTimer(20, t -> ws.close((short) 1001, "restarting"));
                }
            }
        }
    }
}
