package io.wslistener.testsupport;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets on 127.0.0.1: Vert.x client -> FaultProxy -> TestWebSocketServer. */
class FaultProxyTest {

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
    void passForwardsBothWaysAndCountsConnections() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        assertEquals(1, proxy.activeConnections());
        assertEquals(1, proxy.totalAccepted());
        assertEquals(1, server.openSockets());

        assertEquals(1, server.sendTexts(200, i -> "m" + i).get(10, TimeUnit.SECONDS));
        c.ws.writeTextMessage("hello from client");

        await().atMost(AT_MOST).until(() -> c.texts().size() == 200);
        assertEquals(seq("m", 200), c.texts());
        await().atMost(AT_MOST).until(() -> server.receivedTexts().contains("hello from client"));
        assertTrue(proxy.bytesToClients() > 0);
        assertTrue(proxy.bytesToUpstream() > 0);
    }

    @Test
    void gracefulCloseThroughProxyReleasesTheConnection() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        server.closeAll((short) 1001, "going away").get(10, TimeUnit.SECONDS);

        await().atMost(AT_MOST).until(c::isClosed);
        assertEquals((short) 1001, c.ws.closeStatusCode());
        assertEquals("going away", c.ws.closeReason());
        await().atMost(AT_MOST).until(() -> proxy.activeConnections() == 0);
        assertEquals(1, proxy.totalAccepted());
    }

    @Test
    void blackHoleForwardsNothingKeepsSocketsOpenAndPassDeliversWhatWasHeld() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        server.sendTexts(1, i -> "before").get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(() -> c.texts().size() == 1);

        proxy.blackHole();
        long toClients = proxy.bytesToClients();
        long toUpstream = proxy.bytesToUpstream();
        // both directions: server -> client data, client -> server data and a ping
        server.sendTexts(5, i -> "held" + i).get(10, TimeUnit.SECONDS);
        c.ws.writeTextMessage("client-held");
        c.ws.writePing(Buffer.buffer("p"));
        // a new connection during the black hole: accepted, kept open, but its handshake goes nowhere
        CompletableFuture<RecordingClient.Conn> late = client.connectAsync(proxy.port(), null);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> c.texts().size() == 1
                && !c.isClosed()
                && c.errors.isEmpty()
                && c.pongs.get() == 0
                && !late.isDone()
                && server.openSockets() == 1
                && server.totalConnections() == 1
                && server.pingsReceived() == 0
                && !server.receivedTexts().contains("client-held")
                && proxy.bytesToClients() == toClients
                && proxy.bytesToUpstream() == toUpstream);
        assertEquals(2, proxy.activeConnections());
        assertEquals(2, proxy.totalAccepted());
        assertEquals(FaultProxy.Mode.BLACK_HOLE, proxy.mode());

        proxy.pass();
        await().atMost(AT_MOST).until(() -> c.texts().size() == 6);
        assertEquals(List.of("before", "held1", "held2", "held3", "held4", "held5"), c.texts());
        await().atMost(AT_MOST).until(() -> server.receivedTexts().contains("client-held"));
        await().atMost(AT_MOST).until(() -> c.pongs.get() == 1 && server.pingsReceived() == 1);
        RecordingClient.Conn second = late.get(10, TimeUnit.SECONDS);
        assertFalse(second.isClosed());
        assertEquals(2, server.openSockets());
    }

    @Test
    void resetAllAbortsEveryConnectionAndKeepsTheMode() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        assertEquals(1, server.openSockets());

        proxy.resetAll();

        await().atMost(AT_MOST).until(c::isClosed);
        assertTrue(c.errors.stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("reset")),
                () -> "client errors: " + c.errors);
        assertEquals(null, c.ws.closeStatusCode(), "no close frame was exchanged");
        await().atMost(AT_MOST).until(() -> server.openSockets() == 0);
        assertEquals(null, server.lastConnection().closeStatusCode());
        await().atMost(AT_MOST).until(() -> server.lastConnection().errors().stream()
                .anyMatch(t -> String.valueOf(t.getMessage()).contains("reset"))); // upstream side got a RST too
        assertEquals(0, proxy.activeConnections());
        assertEquals(FaultProxy.Mode.PASS, proxy.mode());

        // still passing for new connections
        RecordingClient.Conn again = client.connect(proxy.port());
        server.sendTexts(1, i -> "after reset").get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(() -> again.texts().equals(List.of("after reset")));
    }

    @Test
    void resetAllSendsRstNotFinAndLeavesBlackHoleOn() throws Exception {
        proxy.blackHole();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
            raw.setSoTimeout(5000);
            await().atMost(AT_MOST).until(() -> proxy.activeConnections() == 1);

            proxy.resetAll();

            InputStream in = raw.getInputStream();
            SocketException e = assertThrows(SocketException.class, in::read); // a FIN would give -1 instead
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
        assertEquals(FaultProxy.Mode.BLACK_HOLE, proxy.mode());
        assertEquals(0, proxy.activeConnections());

        // a new connection is black-holed: the HTTP request gets no answer
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.setSoTimeout(500);
            assertThrows(java.net.SocketTimeoutException.class, () -> raw.getInputStream().read());
            assertEquals(0, proxy.bytesToUpstream());
        }
    }

    @Test
    void refuseStopsAcceptingButKeepsExistingAndPassRebindsOnTheSamePort() throws Exception {
        RecordingClient.Conn c = client.connect(proxy.port());
        int port = proxy.port();

        proxy.refuse();
        assertFalse(proxy.isAccepting());

        Throwable failure = client.connectFailure(port, null);
        assertTrue(hasCause(failure, ConnectException.class), () -> "expected connection refused, got " + failure);
        assertTrue(String.valueOf(failure.getMessage()).contains("Connection refused"), failure::getMessage);
        assertThrows(ConnectException.class, () -> {
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            }
        });
        // the existing connection keeps going
        server.sendTexts(3, i -> "still" + i).get(10, TimeUnit.SECONDS);
        await().atMost(AT_MOST).until(() -> c.texts().size() == 3);
        assertEquals(seq("still", 3), c.texts());
        assertEquals(1, proxy.totalAccepted());

        proxy.pass();
        assertTrue(proxy.isAccepting());
        assertEquals(port, proxy.port());
        RecordingClient.Conn second = client.connect(port);
        assertFalse(second.isClosed());
        assertEquals(2, proxy.totalAccepted());
        assertEquals(2, server.openSockets());
    }

    @Test
    void unreachableUpstreamAbortsTheClientConnection() throws Exception {
        server.stop();
        Throwable failure = client.connectFailure(proxy.port(), null);
        assertFalse(hasCause(failure, ConnectException.class), "the proxy itself accepted: " + failure);
        await().atMost(AT_MOST).until(() -> proxy.activeConnections() == 0);
        assertEquals(1, proxy.totalAccepted());

        server.start(server.port());
        assertFalse(client.connect(proxy.port()).isClosed());
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (type.isInstance(x)) {
                return true;
            }
        }
        return false;
    }
}
