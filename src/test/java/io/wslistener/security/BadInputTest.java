package io.wslistener.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.wslistener.connection.ConnectionState;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that sends what it should not: a message over maxMessageSize (in one frame or in many), text that is not
 * UTF-8, a flood of tiny frames, close frames with a broken or over-long reason. Each ends that connection with the
 * right close code, or is simply taken in; the route keeps going, reconnects and delivers what comes next.
 */
class BadInputTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).recordBodiesAs("received");
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private static final int MAX_MESSAGE_SIZE = 1024;

    private TestWebSocketServer server;
    private LogCapture log;

    @BeforeEach
    void startServer() {
        server = new TestWebSocketServer(serverVertx).start();
        log = new LogCapture("io.wslistener.connection");
        yamlCamel.property("wslistener.initialDelay", "50ms");
        yamlCamel.property("wslistener.maxDelay", "100ms");
        yamlCamel.property("wslistener.maxMessageSize", Integer.toString(MAX_MESSAGE_SIZE));
        yamlCamel.property("test.port", Integer.toString(server.port()));
    }

    @AfterEach
    void stopServer() {
        log.close();
        server.stop();
    }

    @Test
    void aSingleFrameOverMaxMessageSizeClosesWith1009AndTheFeedGoesOn() throws Exception {
        connectAndExchange();

        server.sendRawFrame(text("x".repeat(MAX_MESSAGE_SIZE + 1).getBytes(StandardCharsets.UTF_8), true));

        assertClosedWithAndRecovered(1009, "frame larger than 1024 bytes (closed with 1009)");
    }

    @Test
    void aMessageOverMaxMessageSizeInSeveralFramesClosesWith1009AndTheFeedGoesOn() throws Exception {
        connectAndExchange();
        byte[] part = "y".repeat(600).getBytes(StandardCharsets.UTF_8); // each frame within the limit, all three over it

        server.sendRawFrames(text(part, false), continuation(part, false), continuation(part, true));

        assertClosedWithAndRecovered(1009, "message larger than 1024 bytes (closed with 1009)");
        assertTrue(yamlCamel.texts().stream().noneMatch(text -> text.startsWith("yyy")), "nothing of it delivered");
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007AndTheFeedGoesOn() throws Exception {
        connectAndExchange();

        server.sendRawFrame(text(new byte[]{ 'a', (byte) 0xC3, 0x28, 'b' }, true));

        assertClosedWithAndRecovered(1007, "text that is not UTF-8 (closed with 1007)");
        assertTrue(yamlCamel.texts().stream().noneMatch(text -> text.contains("\uFFFD")),
                "no replacement characters delivered");
    }

    @Test
    void aCharacterBrokenAcrossFragmentsClosesWith1007() throws Exception {
        connectAndExchange();

        // the euro sign is E2 82 AC: the first fragment ends in its first two bytes, the last does not finish it
        server.sendRawFrames(text(new byte[]{ 'a', (byte) 0xE2, (byte) 0x82 }, false),
                continuation(new byte[]{ 'b' }, true));

        assertClosedWithAndRecovered(1007, "text that is not UTF-8");
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValidText() throws Exception {
        connectAndExchange();

        server.sendRawFrames(text(new byte[]{ 'a', (byte) 0xE2, (byte) 0x82 }, false),
                continuation(new byte[]{ (byte) 0xAC, 'b' }, true));

        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("a\u20ACb"));
        assertEquals(1, server.totalConnections(), "valid: no reconnect");
    }

    @Test
    void invalidTextRightAfterTheHandshakeIsCaughtToo() throws Exception {
        // written by the server before it even returns from accepting: it reaches the client with the 101 response
        byte[] invalid = { (byte) 0xFF, 'x' };
        HttpServer eager = serverVertx.createHttpServer().webSocketHandler(ws -> {
            ws.writeFrame(text(invalid, true));
            ws.writeTextMessage("valid after it");
        });
        join(eager.listen(0, "127.0.0.1"));
        yamlCamel.property("test.port", Integer.toString(eager.actualPort()));
        startRoute();
        try {
            await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines().stream()
                    .filter(line -> line.contains("text that is not UTF-8 (closed with 1007)")).count() >= 5);
            assertTrue(yamlCamel.received().stream().noneMatch(body -> String.valueOf(body).contains("\uFFFD")),
                    "no invalid text delivered, in any of the connections: " + yamlCamel.received());
            assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
        } finally {
            join(eager.close());
        }
    }

    @Test
    void aFloodOfTinyMessagesIsDeliveredInOrder() throws Exception {
        connectAndExchange();
        int count = 50_000;

        server.sendTexts(count, i -> Integer.toString(i % 10));

        await().atMost(30, TimeUnit.SECONDS).until(() -> yamlCamel.received().size() >= count + 1);
        List<String> flood = yamlCamel.texts().subList(1, count + 1);
        assertEquals(IntStream.rangeClosed(1, count).mapToObj(i -> Integer.toString(i % 10)).toList(), flood);
        assertEquals(1, server.totalConnections());
    }

    @Test
    void aMessageOfAThousandOneByteFragmentsIsDeliveredWhole() throws Exception {
        connectAndExchange();
        WebSocketFrame[] frames = new WebSocketFrame[1000];
        for (int i = 0; i < frames.length; i++) {
            byte[] one = { (byte) ('a' + i % 26) };
            frames[i] = i == 0 ? text(one, false) : continuation(one, i == frames.length - 1);
        }

        server.sendRawFrames(frames);

        String expected = IntStream.range(0, 1000).mapToObj(i -> String.valueOf((char) ('a' + i % 26)))
                .collect(Collectors.joining());
        await().atMost(10, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains(expected));
        assertEquals(1, server.totalConnections());
    }

    @Test
    void aCloseFrameWhoseReasonIsNotUtf8EndsTheConnectionAndTheFeedGoesOn() throws Exception {
        connectAndExchange();

        server.sendRawFrame(close(4000, new byte[]{ 'b', (byte) 0xC3, 0x28 }));

        await().atMost(10, TimeUnit.SECONDS).until(() -> server.totalConnections() >= 2);
        server.connections().get(0).closedFuture().get(5, TimeUnit.SECONDS);
        assertRecovered();
        Short code = server.connections().get(0).closeStatusCode();
        assertTrue(code != null && (code == 1007 || code == 1002), "closed as a protocol violation: " + code);
    }

    @Test
    void aCloseFrameWithAReasonOverTheControlFrameLimitEndsTheConnectionAndTheFeedGoesOn() throws Exception {
        connectAndExchange();

        server.sendRawFrame(close(4000, "r".repeat(200).getBytes(StandardCharsets.UTF_8)));

        assertClosedWithAndRecovered(1002, "protocol error");
    }

    @Test
    void aCloseReasonWithLineBreaksIsLoggedOnOneLine() throws Exception {
        connectAndExchange();

        server.closeAll((short) 4000, "bye\nINFO forged line\u2028x");

        await().atMost(10, TimeUnit.SECONDS).until(() -> server.totalConnections() >= 2);
        assertRecovered();
        assertTrue(log.contains("INFO", "connection #1 closed (code 4000, bye?INFO forged line?x)"),
                String.join("\n", log.lines()));
        assertTrue(log.lines().stream().noneMatch(line -> line.contains("\n")), String.join("\n", log.lines()));
    }

    // --- plumbing

    /** Starts the route, waits for the connection and one message through it. */
    private void connectAndExchange() throws Exception {
        startRoute();
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1
                && yamlCamel.consumer("feed").getLoop().state() == ConnectionState.OPEN);
        server.sendTexts(1, i -> "before").get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("before"));
    }

    private void startRoute() throws Exception {
        yamlCamel.start("""
                - route:
                    id: feed
                    from:
                      uri: "ws-listener:127.0.0.1:{{test.port}}/feed"
                      steps:
                        - process:
                            ref: received
                """);
    }

    private void assertClosedWithAndRecovered(int code, String logged) throws Exception {
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.totalConnections() >= 2);
        server.connections().get(0).closedFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Short.valueOf((short) code), server.connections().get(0).closeStatusCode(),
                "the close code the client sent");
        assertTrue(log.contains("INFO", "connection #1 closed (no close code, " + logged),
                String.join("\n", log.lines()));
        assertRecovered();
    }

    /** The route runs, the new connection is open and delivers. */
    private void assertRecovered() throws Exception {
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("feed"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.openSockets() == 1
                && yamlCamel.consumer("feed").getLoop().state() == ConnectionState.OPEN);
        server.sendTexts(1, i -> "after").get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.texts().contains("after"));
    }

    private static WebSocketFrame text(byte[] bytes, boolean last) {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(bytes), last);
    }

    private static WebSocketFrame continuation(byte[] bytes, boolean last) {
        return new WebSocketFrameImpl(WebSocketFrameType.CONTINUATION, Unpooled.wrappedBuffer(bytes), last);
    }

    private static WebSocketFrame close(int code, byte[] reason) {
        ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason);
        return new WebSocketFrameImpl(WebSocketFrameType.CLOSE, Unpooled.wrappedBuffer(payload.array()), true);
    }
}
