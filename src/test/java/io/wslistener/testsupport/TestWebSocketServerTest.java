package io.wslistener.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets on 127.0.0.1: Vert.x client -> FaultProxy -> TestWebSocketServer. */
class TestWebSocketServerTest {

    private static final Duration AT_MOST = Duration.ofSeconds(10);

    private TestWebSocketServer server;
    private FaultProxy proxy;
    private RecordingClient client;

    @BeforeEach
    void setUp() {
        server = new TestWebSocketServer().start();
        proxy = new FaultProxy(server.port());
        client = new RecordingClient();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        proxy.close();
        server.close();
    }

    private static List<String> seq(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    @Test
    void rejectsHandshakesWithTheGivenStatusUntilAcceptHandshakes() throws Exception {
        server.rejectHandshakesWith(401);
        Throwable failure = client.connectFailure(proxy.port(), MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer wrong"));
        UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, failure);
        assertEquals(401, rejected.getStatus());
        assertEquals(1, server.rejectedHandshakes());
        assertEquals(0, server.totalConnections());
        assertEquals(0, server.openSockets());
        assertEquals("Bearer wrong", server.lastHandshakeHeaders().get("authorization"));

        server.rejectHandshakesWith(503);
        assertEquals(503, ((UpgradeRejectedException) client.connectFailure(proxy.port(), null)).getStatus());

        server.acceptHandshakes();
        RecordingClient.Conn c = client.connectAsync(proxy.port(), MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer right")).get(10, TimeUnit.SECONDS);
        assertFalse(c.isClosed());
        assertEquals(1, server.totalConnections());
        assertEquals(3, server.handshakeHeaders().size());
        assertEquals("Bearer right", server.lastConnection().handshakeHeaders().get("Authorization"));
        assertEquals("/ws", server.lastConnection().path());
    }

    @Test
    void countsOpenMaxConcurrentAndTotalSockets() throws Exception {
        // one at a time: the high-water mark stays 1
        for (int i = 0; i < 3; i++) {
            RecordingClient.Conn c = client.connect(proxy.port());
            assertEquals(1, server.openSockets());
            c.ws.close();
            await().atMost(AT_MOST).until(() -> server.openSockets() == 0);
        }
        assertEquals(1, server.maxConcurrentSockets());
        assertEquals(3, server.totalConnections());

        // three at once: now it is 3
        List<RecordingClient.Conn> conns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conns.add(client.connect(proxy.port()));
        }
        assertEquals(3, server.openSockets());
        assertEquals(3, server.maxConcurrentSockets());
        conns.get(0).ws.close();
        conns.get(1).ws.close();
        await().atMost(AT_MOST).until(() -> server.openSockets() == 1);
        assertEquals(3, server.maxConcurrentSockets());
        assertEquals(6, server.totalConnections());
        assertEquals(1, server.openConnections().size());
        assertEquals(6, server.openConnections().get(0).id());
        // opening another one (2 open) must not lower the high-water mark
        client.connect(proxy.port());
        assertEquals(2, server.openSockets());
        assertEquals(3, server.maxConcurrentSockets());
    }

    @Test
    void recordsTextsAndPingsFromClients() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        for (int i = 1; i <= 20; i++) {
            c.ws.writeTextMessage("c" + i);
        }
        c.ws.writePing(Buffer.buffer("a"));
        c.ws.writePing(Buffer.buffer("b"));
        c.ws.writePing(Buffer.buffer("c"));

        await().atMost(AT_MOST).until(() -> server.receivedTexts().size() == 20 && server.pingsReceived() == 3);
        assertEquals(seq("c", 20), server.receivedTexts());
        assertEquals(seq("c", 20), server.lastConnection().receivedTexts());
        assertEquals(3, server.lastConnection().pingsReceived());
        await().atMost(AT_MOST).until(() -> c.pongs.get() == 3); // answered by Vert.x
    }

    @Test
    void ignorePingsCountsThemWithoutAPongWhileOtherFramesGoOn() throws Exception {
        server.ignorePings().onText((connection, text) -> connection.sendText("re:" + text));
        RecordingClient.Conn c = client.connect(proxy.port());
        c.ws.writePing(Buffer.buffer("anyone?"));
        c.ws.writeBinaryMessage(Buffer.buffer("b"));
        c.ws.writePong(Buffer.buffer("p"));
        c.ws.writeTextMessage("hello");

        // the reply is written after the ping was read: a pong, had there been one, would have come first
        await().atMost(AT_MOST).until(() -> c.texts().equals(List.of("re:hello")));
        assertEquals(0, c.pongs.get());
        assertEquals(1, server.pingsReceived());
        assertEquals(1, server.lastConnection().pingsReceived());
        assertEquals(List.of(Buffer.buffer("b")), server.lastConnection().receivedBinaries());
        assertEquals(1, server.lastConnection().pongsReceived());
        assertEquals(List.of("hello"), server.receivedTexts());
    }

    @Test
    void sendTextsAndBinaryInOrderAndCompletes() throws Exception {
        RecordingClient.Conn a = client.connect(proxy.port());
        RecordingClient.Conn b = client.connect(proxy.port());
        List<Buffer> binaries = new ArrayList<>();
        b.ws.binaryMessageHandler(buf -> {
            synchronized (binaries) {
                binaries.add(buf);
            }
        });

        assertEquals(2, server.sendTexts(2000, i -> "t" + i).get(10, TimeUnit.SECONDS));
        assertEquals(2, server.sendBinary(3, i -> Buffer.buffer(new byte[]{ (byte) i })).get(10, TimeUnit.SECONDS));

        await().atMost(AT_MOST).until(() -> a.texts().size() == 2000 && b.texts().size() == 2000);
        assertEquals(seq("t", 2000), a.texts());
        assertEquals(seq("t", 2000), b.texts());
        await().atMost(AT_MOST).until(() -> {
            synchronized (binaries) {
                return binaries.size() == 3;
            }
        });
        assertEquals(
                List.of(Buffer.buffer(new byte[]{ 1 }), Buffer.buffer(new byte[]{ 2 }), Buffer.buffer(new byte[]{ 3 })),
                binaries);
        assertEquals(2003, server.lastConnection().messagesSent());
    }

    @Test
    void autoSendStartsEachConnectionAtOne() throws Exception {
        server.autoSendOnConnect(50, i -> "seq-" + i);
        RecordingClient.Conn first = client.connect(proxy.port());
        await().atMost(AT_MOST).until(() -> first.texts().size() == 50);
        server.lastConnection().autoSendDone().get(10, TimeUnit.SECONDS);
        first.ws.close();

        RecordingClient.Conn second = client.connect(proxy.port());
        await().atMost(AT_MOST).until(() -> second.texts().size() == 50);
        assertEquals(seq("seq-", 50), first.texts());
        assertEquals(seq("seq-", 50), second.texts());

        server.stopAutoSend();
        RecordingClient.Conn third = client.connect(proxy.port());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> third.texts().isEmpty());
    }

    @Test
    void observesWriteQueueFullWhileTheClientDoesNotReadAndDeliversEverythingAfterwards() throws Exception {
        server.stop();
        // a fresh port: another process may have taken the old one meanwhile
        server.writeQueueMaxSize(4 * 1024).sendBufferSize(16 * 1024).start();
        proxy.setUpstream(server.port());
        try (RecordingClient small = new RecordingClient(
                new WebSocketClientOptions().setReceiveBufferSize(16 * 1024))) {
            AtomicInteger received = new AtomicInteger();
            AtomicBoolean inOrder = new AtomicBoolean(true);
            RecordingClient.Conn c = small.connect(proxy.port());
            String pad = "x".repeat(1000);
            c.ws.textMessageHandler(t -> {
                int n = received.incrementAndGet();
                if (!t.equals(n + pad)) {
                    inOrder.set(false);
                }
            });
            c.ws.pause();

            int count = 20_000; // ~20 MB: far more than all socket and proxy buffers together
            CompletableFuture<Integer> sent = server.sendTexts(count, i -> i + pad);
            await().atMost(AT_MOST).until(server::writeQueueFullObserved);
            assertFalse(sent.isDone(), "the batch cannot have finished while the client reads nothing");

            c.ws.resume();
            assertEquals(1, sent.get(20, TimeUnit.SECONDS));
            await().atMost(AT_MOST).until(() -> received.get() == count);
            assertTrue(inOrder.get());
        }
    }

    @Test
    void writeQueueFullIsNotReportedWhenTheClientKeepsUp() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        server.sendTexts(10, i -> "m" + i).get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(() -> c.texts().size() == 10);
        assertFalse(server.writeQueueFullObserved());
    }

    @Test
    void silentPausesDataButPingsAreStillAnswered() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        server.silent();
        CompletableFuture<Integer> sent = server.sendTexts(10, i -> "late" + i);
        c.ws.writePing(Buffer.buffer("still there?"));

        await().atMost(AT_MOST).until(() -> c.pongs.get() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> c.texts().isEmpty() && !sent.isDone());

        server.speak();
        assertEquals(1, sent.get(10, TimeUnit.SECONDS));
        await().atMost(AT_MOST).until(() -> c.texts().size() == 10);
        assertEquals(seq("late", 10), c.texts());
    }

    @Test
    void stopIsAbruptStopGracefullySendsCloseFrameAndRestartKeepsThePort() throws Exception {
        int port = server.port();
        RecordingClient.Conn c = client.connect(proxy.port());
        server.stop();
        await().atMost(AT_MOST).until(c::isClosed);
        assertNull(c.ws.closeStatusCode(), "no close frame on an abrupt stop");
        assertFalse(server.isRunning());
        assertEquals(0, server.openSockets());

        server.start(port);
        RecordingClient.Conn d = client.connect(proxy.port());
        server.stopGracefully((short) 1001, "bye");
        await().atMost(AT_MOST).until(d::isClosed);
        assertEquals((short) 1001, d.ws.closeStatusCode());
        assertEquals("bye", d.ws.closeReason());

        server.start(port);
        RecordingClient.Conn e = client.connect(proxy.port());
        server.restart();
        assertEquals(port, server.port());
        await().atMost(AT_MOST).until(e::isClosed);
        assertFalse(client.connect(proxy.port()).isClosed());
        assertEquals(4, server.totalConnections());
    }

    @Test
    void closeAllAndDropAllKeepTheServerListening() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        server.closeAll((short) 4000, "custom").get(10, TimeUnit.SECONDS);
        assertTrue(c.isClosed());
        assertEquals((short) 4000, c.ws.closeStatusCode());
        assertEquals((short) 4000, server.connections().get(0).closeStatusCode()); // the client's echo

        RecordingClient.Conn d = client.connect(proxy.port());
        server.dropAll().get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(d::isClosed);
        assertNull(d.ws.closeStatusCode(), "dropped without a close frame");
        assertTrue(server.isRunning());
        assertFalse(client.connect(proxy.port()).isClosed());
    }

    @Test
    void rawFramesGoOutAsGiven() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        assertEquals(1, server.sendRawFrames(
                WebSocketFrame.textFrame("Hel", false),
                WebSocketFrame.continuationFrame(Buffer.buffer("lo"), true)).get(10, TimeUnit.SECONDS));
        await().atMost(AT_MOST).until(() -> c.texts().equals(List.of("Hello")));

        // a continuation frame with no message started is a protocol error for the client
        server.sendRawFrame(WebSocketFrame.continuationFrame(Buffer.buffer("orphan"), true)).get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(c::isClosed);
        assertEquals(List.of("Hello"), c.texts());
        assertTrue(c.errors.stream().anyMatch(t -> t instanceof CorruptedWebSocketFrameException
                && t.getMessage().contains("continuation data frame outside fragmented message")), c.errors::toString);
        await().atMost(AT_MOST).until(() -> server.openSockets() == 0);
    }

    @Test
    void sendEveryPlaysAFeedOnEachConnectionAndPausesWithoutAGapWhileSilent() throws Exception {
        server.sendEvery(Duration.ofMillis(20), n -> "s" + n);
        RecordingClient.Conn a = client.connect(proxy.port());
        RecordingClient.Conn b = client.connect(proxy.port());
        await().atMost(AT_MOST).until(() -> a.texts().size() >= 3 && b.texts().size() >= 3);
        assertEquals(seq("s", 3), a.texts().subList(0, 3));
        assertEquals(seq("s", 3), b.texts().subList(0, 3), "each connection has its own sequence");

        server.silent();
        // a message written just before may still arrive: wait until nothing more comes for 200 ms
        AtomicInteger seen = new AtomicInteger(-1);
        await().during(Duration.ofMillis(200)).atMost(AT_MOST)
                .until(() -> seen.getAndSet(a.texts().size()) == a.texts().size());
        int paused = a.texts().size();
        server.speak();
        await().atMost(AT_MOST).until(() -> a.texts().size() >= paused + 2);
        assertEquals(seq("s", paused + 2), a.texts().subList(0, paused + 2), "no number skipped while silent");
        assertTrue(server.messagesSent() >= a.texts().size() + b.texts().size());

        a.ws.close();
        await().atMost(AT_MOST).until(a::isClosed);
        int last = a.texts().size();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> a.texts().size() == last);

        server.sendEvery(null, null);
        RecordingClient.Conn c = client.connect(proxy.port());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> c.texts().isEmpty());
    }

    @Test
    void countsSocketsPerPath() throws Exception {
        long before = System.nanoTime();
        RecordingClient.Conn a1 = client.connectAsync(proxy.port(), "/a", null).get(10, TimeUnit.SECONDS);
        client.connectAsync(proxy.port(), "/a", null).get(10, TimeUnit.SECONDS);
        client.connectAsync(proxy.port(), "/b", null).get(10, TimeUnit.SECONDS);

        assertEquals(2, server.counts("/a").open());
        assertEquals(2, server.counts("/a").maxOpen());
        assertEquals(2, server.counts("/a").accepted());
        assertEquals(1, server.counts("/b").open());
        assertTrue(server.counts("/a").lastAcceptedNanos() > before);
        assertEquals(2, server.connectedPaths());
        assertEquals(2, server.maxOpenOnAnyPath());
        assertEquals(0, server.counts("/never").accepted());
        assertEquals(0, server.counts("/never").lastAcceptedNanos());

        a1.ws.close();
        await().atMost(AT_MOST).until(() -> server.counts("/a").open() == 1);
        assertEquals(2, server.counts("/a").maxOpen(), "the high-water mark stays");
        client.connectAsync(proxy.port(), "/a", null).get(10, TimeUnit.SECONDS);
        assertEquals(2, server.counts("/a").open());
        assertEquals(2, server.counts("/a").maxOpen());
        assertEquals(3, server.counts("/a").accepted());
        assertEquals(4, server.totalConnections());
    }

    @Test
    void stopReadingKeepsTcpOpenButAnswersNoPings() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        c.ws.writePing(Buffer.buffer("before"));
        await().atMost(AT_MOST).until(() -> c.pongs.get() == 1);

        server.stopReading();
        c.ws.writePing(Buffer.buffer("after"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> c.pongs.get() == 1 && !c.isClosed() && server.openSockets() == 1);
        server.dropAll().get(10, TimeUnit.SECONDS); // a client closing politely would wait for an answer that never comes
    }

    @Test
    void countsTcpConnectionsIncludingRejectedHandshakesAndNamesTheConsumerUri() throws Exception {
        client.connect(proxy.port());
        server.rejectHandshakesWith(503);
        client.connectFailure(proxy.port(), null);
        await().atMost(AT_MOST).until(() -> server.tcpConnections() == 2);
        assertEquals(1, server.totalConnections());
        assertEquals("ws-listener:127.0.0.1:" + server.port() + "/feed", server.listenerUri("/feed"));
        assertEquals("ws://127.0.0.1:" + server.port() + "/feed", server.url("/feed"));
        assertEquals(List.of(), server.tlsProtocols(), "no TLS");
        assertEquals(List.of(), server.clientCertificateSubjects());
    }
}
