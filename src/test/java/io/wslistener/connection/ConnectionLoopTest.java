package io.wslistener.connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.impl.VertxInternal;
import io.wslistener.policy.ConnectionSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection loop against a real Vert.x WebSocket server on 127.0.0.1, without Camel.
 */
class ConnectionLoopTest {

    private Vertx vertx;
    private HttpClient client;
    private HttpServer server;
    private final List<ConnectionLoop> loops = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ConnectionLoop loop : loops) {
            join(loop.stop("test over"));
        }
        join(vertx.close());
    }

    @Test
    void backoffKeepsGrowingWhenTheServerDropsEveryConnectionAtOnce() throws Exception {
        startServer(ws -> ws.close((short) 1011, "overloaded"), null);
        RecordingListener events = startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofSeconds(5));
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 5);
        assertEquals(List.of(20L, 40L, 80L, 160L, 320L), events.backoffMillis.subList(0, 5),
                "a connection that did not last stableUptime must not reset the backoff");
        assertTrue(events.connections() >= 5, "every attempt did connect: " + events.connectedAfterAttempts);
        assertEquals(List.of(1, 1, 1, 1, 1), events.connectedAfterAttempts.subList(0, 5),
                "each reconnect's first connect attempt succeeded; the drops grow the backoff, not the attempt count");
    }

    @Test
    void backoffStartsAgainAfterAStableConnection() throws Exception {
        startServer(ws -> vertx.setTimer(300, t -> ws.close((short) 1001, "restarting")), null);
        RecordingListener events = startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofMillis(150));
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 3);
        assertEquals(List.of(20L, 20L, 20L), events.backoffMillis.subList(0, 3));
        assertEquals(List.of(1, 1, 1), events.connectedAfterAttempts.subList(0, 3),
                "each reconnect took one connect attempt");
    }

    @Test
    void theSameConnectionsWithALongerStableUptimeDoNotResetTheBackoff() throws Exception {
        startServer(ws -> vertx.setTimer(300, t -> ws.close((short) 1001, "restarting")), null);
        RecordingListener events = startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofSeconds(2));
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 3);
        assertEquals(List.of(20L, 40L, 80L), events.backoffMillis.subList(0, 3));
    }

    @Test
    void openMessagesAreSentInOrderOnEveryConnect() throws Exception {
        List<List<String>> perConnection = new CopyOnWriteArrayList<>();
        startServer(ws -> {
            List<String> texts = new CopyOnWriteArrayList<>();
            perConnection.add(texts);
            ws.textMessageHandler(text -> {
                texts.add(text);
                if (texts.size() == 2) {
                    ws.close((short) 1001, "restarting");
                }
            });
        }, null);
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setOpenMessages(String.join("\n", "{\"op\":\"login\"}", "{\"op\":\"subscribe\"}"));
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> perConnection.size() >= 3 && perConnection.get(2).size() == 2);
        for (List<String> texts : perConnection.subList(0, 3)) {
            assertEquals(List.of("{\"op\":\"login\"}", "{\"op\":\"subscribe\"}"), texts);
        }
    }

    @Test
    void messagesArriveNumberedPerConnection() throws Exception {
        AtomicInteger connection = new AtomicInteger();
        startServer(ws -> {
            int n = connection.incrementAndGet();
            for (int i = 1; i <= 3; i++) {
                ws.writeTextMessage(n + "." + i);
            }
            if (n == 1) {
                ws.close((short) 1001, "restarting");
            }
        }, null);
        startLoop(s -> s.setInitialDelay(Duration.ofMillis(20)));

        await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() >= 6);
        assertEquals(List.of("1.1 #1/1", "1.2 #1/2", "1.3 #1/3", "2.1 #2/1", "2.2 #2/2", "2.3 #2/3"), received);
    }

    @Test
    void stopDuringTheBackoffWaitIsPromptAndFinal() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startServer(null, request -> {
            attempts.incrementAndGet();
            request.response().setStatusCode(503).end();
        });
        ConnectionLoop loop = newLoop(s -> s.setInitialDelay(Duration.ofMillis(400)));
        RecordingListener events = new RecordingListener();
        loop.addListener(events);
        loop.start();
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.BACKING_OFF);
        assertEquals(1, attempts.get());
        assertEquals("handshake refused with HTTP 503", events.failures.get(0));

        Future<Void> stopped = loop.stop("route stopped");
        await().atMost(1, TimeUnit.SECONDS).until(() -> stopped.isComplete());
        assertEquals(ConnectionState.STOPPED, loop.state());
        // the retry timer was cancelled: nothing knocks on the server any more
        await().during(Duration.ofMillis(800)).atMost(2, TimeUnit.SECONDS).until(() -> attempts.get() == 1);
        assertEquals(ConnectionState.STOPPED, loop.state());
    }

    // --- plumbing

    private void startServer(Handler<ServerWebSocket> webSockets, Handler<HttpServerRequest> requests)
            throws Exception {
        server = vertx.createHttpServer();
        if (webSockets != null) {
            server.webSocketHandler(webSockets);
        }
        if (requests != null) {
            server.requestHandler(requests);
        }
        join(server.listen(0, "127.0.0.1"));
    }

    private RecordingListener startLoop(Consumer<ConnectionSettings> change) {
        ConnectionLoop loop = newLoop(change);
        RecordingListener events = new RecordingListener();
        loop.addListener(events);
        loop.start();
        return events;
    }

    private ConnectionLoop newLoop(Consumer<ConnectionSettings> change) {
        ConnectionSettings settings = TestSettings.with(change).validate("test");
        WebSocketConnector connector = () -> client.webSocket(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/feed"));
        MessageReceiver receiver = new MessageReceiver() {

            @Override
            public void onText(String text, long connectionNumber, long sequence) {
                received.add(text + " #" + connectionNumber + "/" + sequence);
            }

            @Override
            public void onBinary(Buffer data, long connectionNumber, long sequence) {
                received.add(data + " #" + connectionNumber + "/" + sequence);
            }
        };
        // random 0: no jitter, so that the delays can be compared exactly
        ConnectionLoop loop = new ConnectionLoop(LoopClock.of(vertx), ((VertxInternal) vertx).createEventLoopContext(),
                settings,
                connector, receiver, () -> 0.0);
        loops.add(loop);
        return loop;
    }

    private static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
