package io.wslistener.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate enabled in clientOptions: compressed messages arrive as usual, and a small compressed frame that
 * inflates past maxMessageSize (a decompression bomb) is stopped while it is inflated, closing with 1009.
 */
class DeflateBombTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final List<String> disconnects = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createServer() {
        server = new TestWebSocketServer(serverVertx).start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void aCompressedBombIsStoppedAsItIsInflated() throws Exception {
        camel.getRegistry().bind("deflate", new HttpClientOptions().setTryUsePerMessageWebSocketCompression(true));
        policy.setInitialDelay(Duration.ofMillis(50));
        yamlCamel.start(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + server.port() + "/feed?clientOptions=#deflate").routeId("feed")
                        .routePolicyRef("policy")
                        .process(exchange -> written.add(exchange.getMessage().getBody(String.class)));
            }
        });
        yamlCamel.feedLoop().addListener(new ConnectionListener() {

            @Override
            public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
                disconnects.add(reason);
            }
        });
        yamlCamel.awaitFeedOpen();
        assertTrue(String.valueOf(server.lastHandshakeHeaders().get("Sec-WebSocket-Extensions"))
                .contains("permessage-deflate"));

        // compressed messages, the second one relying on the first one's dictionary (context takeover)
        server.sendTexts(2, i -> "hello hello hello " + i).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() == 2);
        assertEquals(List.of("hello hello hello 1", "hello hello hello 2"), List.copyOf(written));

        // one frame of 64 MB of the same letter: some 64 KB on the wire, far within the 1 MB frame limit
        server.sendRawFrame(WebSocketFrame.textFrame("a".repeat(64 << 20), true)).get(10, TimeUnit.SECONDS);

        await().atMost(10, TimeUnit.SECONDS).until(() -> !disconnects.isEmpty());
        assertTrue(disconnects.get(0).contains("larger than 1048576 bytes inflated"), disconnects.toString());
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.connections().get(0).closeStatusCode() != null);
        assertEquals((short) 1009, server.connections().get(0).closeStatusCode());
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.openSockets() == 1 && server.totalConnections() == 2);
        assertEquals(2, written.size(), "the bomb never reached the route");
    }
}
