package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketFrame;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer side of the stop contract: a graceful route stop or suspend delivers everything the server sent before
 * it saw the close frame, the frames Vert.x read after reading was paused by backpressure included, and closes with a
 * real close handshake.
 */
class GracefulStopTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;
    private final List<String> written = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final List<String> disconnectReasons = new CopyOnWriteArrayList<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch paused = new CountDownLatch(1);

    @BeforeEach
    void createServer() {
        server = new TestWebSocketServer(serverVertx).start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop();
    }

    @Test
    void aRouteStopDeliversTheFramesReadAfterThePause() throws Exception {
        startHeldRouteBehindFortyFrames();

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().stopRoute("feed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the close frame goes out at once, while the route still holds message 1
        await().atMost(5, TimeUnit.SECONDS).until(() -> !server.lastConnection().isOpen() || closeFrameSeen());
        release.countDown();
        stop.get(10, TimeUnit.SECONDS);

        assertEquals(expected(), List.copyOf(written), "every message the connection received was written, in order");
        assertEquals(0, yamlCamel.consumer("feed").getInFlight());
        assertFalse(String.valueOf(disconnectReasons).contains("no close handshake"),
                "the server answered the close; it was read although 40 frames were queued before it: "
                        + disconnectReasons);
        assertEquals((short) 1000, server.lastConnection().closeStatusCode());
    }

    @Test
    void aSuspendDeliversTheFramesReadAfterThePause() throws Exception {
        startHeldRouteBehindFortyFrames();

        CompletableFuture<Void> suspend = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().suspendRoute("feed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> !server.lastConnection().isOpen() || closeFrameSeen());
        release.countDown();
        suspend.get(10, TimeUnit.SECONDS);

        assertEquals(expected(), List.copyOf(written));
        assertEquals(0, yamlCamel.consumer("feed").getInFlight());
    }

    @Test
    void aStopAgainstAServerThatAnswersTheCloseTakesTheHandshakeNotTheGuard() throws Exception {
        release.countDown();
        startHeldRoute();
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() == 1);

        camel.getRouteController().stopRoute("feed");

        await().atMost(5, TimeUnit.SECONDS).until(() -> !disconnectReasons.isEmpty());
        assertFalse(disconnectReasons.get(0) != null && disconnectReasons.get(0).contains("no close handshake"),
                "the server answered the close: " + disconnectReasons);
        assertEquals(ConnectionState.STOPPED, yamlCamel.feedLoop().state());
        assertEquals((short) 1000, server.lastConnection().closeStatusCode());
    }

    @Test
    void aStopOfABusyFeedReadsTheServersCloseReply() throws Exception {
        release.countDown();
        startHeldRoute();
        // a burst still being read when the stop comes (a feed that streams without pause stops the same way)
        server.sendTexts(2_000, i -> "busy " + i);
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() > 100);

        camel.getRouteController().stopRoute("feed");

        await().atMost(5, TimeUnit.SECONDS).until(() -> !disconnectReasons.isEmpty());
        assertFalse(String.valueOf(disconnectReasons).contains("no close handshake"),
                "the server answered the close; the data before it must not hide it: " + disconnectReasons);
        assertEquals((short) 1000, server.lastConnection().closeStatusCode());
        assertEquals(0, yamlCamel.consumer("feed").getInFlight());
        List<String> all = List.copyOf(written);
        for (int i = 1; i < all.size(); i++) {
            assertEquals("busy " + i, all.get(i), "in order, none missing");
        }
    }

    private void startHeldRoute() throws Exception {
        yamlCamel.startFeed(server.port(), exchange -> {
            String body = exchange.getMessage().getBody(String.class);
            if ("m1".equals(body)) {
                holding.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            }
            written.add(body);
        });
        ConnectionLoop loop = yamlCamel.feedLoop();
        loop.addListener(new ConnectionListener() {

            @Override
            public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
                disconnectReasons.add(reason);
            }

            @Override
            public void onReadingPaused() {
                paused.countDown();
            }
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.OPEN);
        server.sendTexts(1, i -> "m1").get(5, TimeUnit.SECONDS);
        if (release.getCount() > 0) {
            assertTrue(holding.await(5, TimeUnit.SECONDS));
        }
    }

    /**
     * The route holds message 1 while the server writes 40 more in one go: the hand-off takes two (maxInFlight) and
     * pauses reading, the rest wait in Vert.x and TCP.
     */
    private void startHeldRouteBehindFortyFrames() throws Exception {
        policy.setMaxInFlight(2);
        startHeldRoute();
        WebSocketFrame[] frames = new WebSocketFrame[40];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = WebSocketFrame.textFrame("m" + (i + 2), true);
        }
        server.sendRawFrames(frames).get(5, TimeUnit.SECONDS);
        assertTrue(paused.await(5, TimeUnit.SECONDS), "reading paused at maxInFlight");
    }

    /** Whether the server has read the client's close frame (it then answers and closes). */
    private boolean closeFrameSeen() {
        return server.lastConnection().closeFrameReceived();
    }

    private static List<String> expected() {
        return java.util.stream.IntStream.rangeClosed(1, 41).mapToObj(i -> "m" + i).toList();
    }
}
