package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection loop against a real WebSocket server on 127.0.0.1, without Camel. Time is a {@link ManualLoopClock}:
 * backoff, keep-alive deadlines and maximum age move only when the test moves the clock, so what the tests assert about
 * timing holds on a machine of any load; the sockets stay real.
 */
class ConnectionLoopTest {

    private Vertx vertx;
    private HttpClient client;
    private TestWebSocketServer server;
    private ManualLoopClock clock;
    private ConnectionLoop loop;
    private final RecordingListener events = new RecordingListener();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        server = new TestWebSocketServer(vertx).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (loop != null) {
            join(loop.stop("test over"));
        }
        server.stop();
        join(vertx.close());
    }

    @Test
    void backoffKeepsGrowingWhenTheServerDropsEveryConnectionAtOnce() throws Exception {
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofSeconds(5));
        });

        for (int connection = 1; connection <= 5; connection++) {
            awaitConnections(connection);
            dropAndAwaitBackoff(connection, (short) 1011, Duration.ZERO);
        }
        assertEquals(List.of(20L, 40L, 80L, 160L, 320L), events.backoffMillis,
                "a connection that did not last stableUptime must not reset the backoff");
        assertEquals(List.of(1, 1, 1, 1, 1), events.connectedAfterAttempts,
                "each reconnect's first connect attempt succeeded; the drops grow the backoff, not the attempt count");
    }

    @Test
    void backoffStartsAgainAfterAStableConnection() throws Exception {
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofMillis(150));
        });

        for (int connection = 1; connection <= 3; connection++) {
            awaitConnections(connection);
            dropAndAwaitBackoff(connection, (short) 1001, Duration.ofMillis(300));
        }
        assertEquals(List.of(20L, 20L, 20L), events.backoffMillis);
        assertEquals(List.of(1, 1, 1), events.connectedAfterAttempts, "each reconnect took one connect attempt");
    }

    @Test
    void theSameConnectionsWithALongerStableUptimeDoNotResetTheBackoff() throws Exception {
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofSeconds(2));
        });

        for (int connection = 1; connection <= 3; connection++) {
            awaitConnections(connection);
            dropAndAwaitBackoff(connection, (short) 1001, Duration.ofMillis(300));
        }
        assertEquals(List.of(20L, 40L, 80L), events.backoffMillis);
    }

    @Test
    void theRetryWaitsForItsDelayAndNotLonger() throws Exception {
        startLoop(s -> s.setInitialDelay(Duration.ofSeconds(3)));
        awaitConnections(1);
        server.closeAll((short) 1011, "overloaded").get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.BACKING_OFF);

        clock.advance(Duration.ofMillis(2999));
        assertEquals(ConnectionState.BACKING_OFF, loop.state(), "1 ms before the delay ran out");
        assertEquals(1, server.totalConnections());
        clock.advance(Duration.ofMillis(1));
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 2);
    }

    @Test
    void openMessagesAreSentInOrderOnEveryConnect() throws Exception {
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setOpenMessages(String.join("\n", "{\"op\":\"login\"}", "{\"op\":\"subscribe\"}"));
        });

        for (int connection = 1; connection <= 3; connection++) {
            awaitConnections(connection);
            ServerConnection open = server.lastConnection();
            await().atMost(5, TimeUnit.SECONDS).until(() -> open.receivedTexts().size() == 2);
            dropAndAwaitBackoff(connection, (short) 1001, Duration.ZERO);
        }
        for (ServerConnection connection : server.connections().subList(0, 3)) {
            assertEquals(List.of("{\"op\":\"login\"}", "{\"op\":\"subscribe\"}"), connection.receivedTexts());
        }
    }

    @Test
    void messagesArriveNumberedPerConnection() throws Exception {
        startLoop(s -> s.setInitialDelay(Duration.ofMillis(20)));

        for (int connection = 1; connection <= 2; connection++) {
            awaitConnections(connection);
            for (int i = 1; i <= 3; i++) {
                server.lastConnection().sendText(connection + "." + i);
            }
            int expected = 3 * connection;
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == expected);
            dropAndAwaitBackoff(connection, (short) 1001, Duration.ZERO);
        }
        assertEquals(List.of("1.1 #1/1", "1.2 #1/2", "1.3 #1/3", "2.1 #2/1", "2.2 #2/2", "2.3 #2/3"), received);
    }

    @Test
    void stopDuringTheBackoffWaitIsPromptAndFinal() throws Exception {
        server.rejectHandshakesWith(503);
        startLoop(s -> s.setInitialDelay(Duration.ofMillis(400)));
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.BACKING_OFF);
        assertEquals(1, server.rejectedHandshakes());
        assertEquals("handshake refused with HTTP 503", events.failures.get(0));

        join(loop.stop("route stopped"));

        assertEquals(ConnectionState.STOPPED, loop.state());
        assertEquals(List.of(), clock.pendingTimers(), "the retry timer (and every other) was cancelled");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, server.rejectedHandshakes(), "nothing knocks on the server any more");
        assertEquals(ConnectionState.STOPPED, loop.state());
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsDroppedAtThePongDeadline() throws Exception {
        server.ignorePings();
        startLoop(s -> {
            s.setPingInterval(Duration.ofSeconds(1));
            s.setPongTimeout(Duration.ofMillis(500));
        });
        awaitConnections(1);

        clock.advance(Duration.ofMillis(999));
        assertEquals(0, events.pings.get(), "the first ping goes out one pingInterval after the connect");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, events.pings.get());
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.pingsReceived() == 1);

        clock.advance(Duration.ofMillis(499));
        assertEquals(ConnectionState.OPEN, loop.state(), "1 ms before the pong deadline");
        assertEquals(0, events.pongTimeouts.get());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, events.pongTimeouts.get());
        assertEquals(ConnectionState.BACKING_OFF, loop.state());
        assertEquals("no pong within 500ms (closed with 1001)", loop.snapshot().lastCause());
    }

    @Test
    void aConnectionThatReachesMaxConnectionAgeIsReplacedAtOnce() throws Exception {
        startLoop(s -> {
            s.setMaxConnectionAge(Duration.ofHours(1));
            s.setPingInterval(Duration.ZERO);
        });
        awaitConnections(1);

        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertEquals(List.of(), events.plannedReconnects, "1 ms before the maximum age");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("#1 maxConnectionAge 1h reached"), events.plannedReconnects);
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() == 1);
        assertEquals(List.of(0L), events.backoffMillis, "a planned reconnect waits for no backoff");
        assertEquals((short) 1000, server.connections().get(0).closeStatusCode(), "closed cleanly, with 1000");

        // a delay of 0 is a timer of 1 ms
        clock.advance(Duration.ofMillis(1));
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 2);
    }

    @Test
    void theSubscribeAckDeadlineCountsOnlyWhileTheSocketReads() throws Exception {
        startLoop(s -> {
            s.setSubscribeAck("subscribed");
            s.setSubscribeAckTimeout(Duration.ofSeconds(1));
            s.setPingInterval(Duration.ZERO);
        });
        awaitConnections(1);

        clock.advance(Duration.ofMillis(400));
        // the route is busy: reading pauses, and whatever the server answered waits unread in TCP buffers
        loop.pauseReading();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(ConnectionState.OPEN, loop.state(), "a minute paused by backpressure does not count");
        assertEquals(List.of(), events.failureCauses);

        loop.resumeReading();
        clock.advance(Duration.ofMillis(599));
        assertEquals(List.of(), events.failureCauses, "1 ms before a second of reading");
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(FailureCause.NO_SUBSCRIBE_ACK), events.failureCauses);
    }

    @Test
    void reconnectNowClosesCleanlyAndLeavesNoTimerOfTheOldConnectionBehind() throws Exception {
        // the server acknowledges the subscribe of every connection but the first
        server.onText((connection, text) -> {
            if (connection.id() > 1) {
                connection.sendText("subscribed");
            }
        });
        startLoop(s -> {
            s.setOpenMessages("subscribe");
            s.setSubscribeAck("subscribed");
            s.setSubscribeAckTimeout(Duration.ofSeconds(10));
            s.setMaxConnectionAge(Duration.ofHours(1));
            s.setPingInterval(Duration.ZERO);
        });
        awaitConnections(1);
        // connection #1: its acknowledgement is due in 5 s, its maximum age in 1 h less 5 s
        clock.advance(Duration.ofSeconds(5));

        loop.reconnectNow();
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() == 1);
        assertEquals(List.of(0L), events.backoffMillis, "a planned reconnect: no backoff");
        assertEquals(List.of("#1 reconnect requested"), events.plannedReconnects);
        assertEquals((short) 1000, server.connections().get(0).closeStatusCode(), "closed cleanly, with 1000");
        clock.advance(Duration.ofMillis(1));
        awaitConnections(2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> received.contains("subscribed #2/1"));

        assertEquals(List.of(Duration.ofHours(1)), clock.pendingTimers(), "only the new connection's maximum age");
        clock.advance(Duration.ofHours(1).minusMillis(1));
        assertEquals(List.of(), events.failureCauses, "no acknowledgement deadline of connection #1 fired on #2");
        assertEquals(List.of("#1 reconnect requested"), events.plannedReconnects, "nor its maximum age");
        assertEquals(1, server.maxConcurrentSockets(), "never two sockets");
    }

    @Test
    void reconnectNowOfAConnectionYoungerThanStableUptimeKeepsTheCountOfFailuresInARow() throws Exception {
        startLoop(s -> {
            s.setInitialDelay(Duration.ofMillis(20));
            s.setStableUptime(Duration.ofSeconds(5));
            s.setPingInterval(Duration.ZERO);
        });
        awaitConnections(1);
        dropAndAwaitBackoff(1, (short) 1011, Duration.ZERO);
        awaitConnections(2);

        loop.reconnectNow();
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() == 2);
        clock.advance(Duration.ofMillis(1));
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> events.connections() == 3 && loop.state() == ConnectionState.OPEN);
        dropAndAwaitBackoff(3, (short) 1011, Duration.ZERO);

        assertEquals(List.of(20L, 0L, 40L), events.backoffMillis,
                "the reconnect itself waits for nothing, and the drop after it backs off as the second in a row");
    }

    @Test
    void reconnectNowDoesNotCutShortTheWaitTheServerAskedFor() throws Exception {
        try (HttpTestServer refusing = new HttpTestServer().start()) {
            refusing.defaultStatus(503);
            refusing.respondWithRetryAfter(503, "30");
            startLoop(s -> {
                s.setInitialDelay(Duration.ofSeconds(1));
                s.setMaxDelay(Duration.ofMinutes(1));
            }, refusing.port());
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() == 1);
            assertEquals(List.of(30_000L), events.backoffMillis, "Retry-After: 30");
            clock.advance(Duration.ofSeconds(10));

            loop.reconnectNow();
            // runs on the loop's context after the request
            clock.advance(Duration.ZERO);
            assertEquals(ConnectionState.BACKING_OFF, loop.state(), "the server's wait is not cut short");
            assertEquals(List.of(30_000L, 20_000L), events.backoffMillis, "the wait left is told again");
            clock.advance(Duration.ofMillis(19_999));
            assertEquals(1, refusing.requests().size(), "1 ms before the server's wait is over");
            clock.advance(Duration.ofMillis(1));
            await().atMost(5, TimeUnit.SECONDS).until(() -> refusing.requests().size() == 2);
        }
    }

    // --- plumbing

    /** The server closes connection number {@code connection} after it lived {@code uptime}; the loop backs off. */
    private void dropAndAwaitBackoff(int connection, short code, Duration uptime) throws Exception {
        clock.advance(uptime);
        server.closeAll(code, "test").get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() == connection);
    }

    /** Waits for connection number {@code count}; from the second on, the clock first runs the last backoff out. */
    private void awaitConnections(int count) throws Exception {
        if (count > 1) {
            clock.advance(Duration.ofMillis(events.backoffMillis.get(count - 2)));
        }
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> events.connections() == count && loop.state() == ConnectionState.OPEN);
        assertTrue(server.maxConcurrentSockets() <= 1, "never two sockets at once");
    }

    private void startLoop(Consumer<ConnectionSettings> change) {
        startLoop(change, server.port());
    }

    private void startLoop(Consumer<ConnectionSettings> change, int port) {
        ConnectionSettings settings = TestSettings.with(change).validate("test");
        WebSocketConnector connector = () -> client.webSocket(new WebSocketConnectOptions()
                .setHost("127.0.0.1").setPort(port).setURI("/feed"));
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
        Context context = VertxInternals.newEventLoopContext(vertx);
        clock = new ManualLoopClock(context);
        // random 0: no jitter, so that the delays can be compared exactly
        loop = new ConnectionLoop(clock, context, settings, connector, receiver, () -> 0.0);
        loop.addListener(events);
        loop.start();
    }
}
