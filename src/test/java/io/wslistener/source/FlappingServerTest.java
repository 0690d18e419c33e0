package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that cannot make up its mind: it refuses, accepts and drops at once, resets, or closes a moment later, in
 * quick succession. However the attempts and closes interleave, the loop never holds two sockets.
 * <p>
 * The server decides on its own event loop as each connection arrives (faster than a test thread could switch a
 * {@code TestWebSocketServer}), and counts open sockets the same way: from the handshake to its close handler.
 */
class FlappingServerTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxConcurrentSockets = new AtomicInteger();

    @Test
    void aFlappingServerNeverSeesTwoSocketsAtOnce() throws Exception {
        HttpServer server = serverVertx.createHttpServer().webSocketHandler(this::flap);
        join(server.listen(0, "127.0.0.1"));
        policy.setInitialDelay(Duration.ofMillis(10));
        policy.setMaxDelay(Duration.ofMillis(40));
        policy.setStableUptime(Duration.ofSeconds(1));
        yamlCamel.startFeed(server.actualPort(), exchange -> {
        });

        await().atMost(20, TimeUnit.SECONDS).until(() -> connections.get() >= 30);
        assertEquals(1, maxConcurrentSockets.get(), "at most one socket open at a time");
        assertTrue(refused.get() >= 5, "refused handshakes are part of the flapping: " + refused.get());
    }

    /** Attempt n: every 5th refused; of the accepted ones a third closed at once, a third reset, a third closed later. */
    private void flap(ServerWebSocket ws) {
        if (attempts.incrementAndGet() % 5 == 0) {
            refused.incrementAndGet();
            ws.reject(503);
            return;
        }
        int n = connections.incrementAndGet();
        maxConcurrentSockets.accumulateAndGet(open.incrementAndGet(), Math::max);
        ws.closeHandler(v -> open.decrementAndGet());
        ws.writeTextMessage("quote " + n);
        switch (n % 3) {
            case 0 -> ws.close((short) 1011, "overloaded");
            case 1 -> reset(ws);
            default -> serverVertx.setTimer(20, t -> ws.close((short) 1001, "restarting"));
        }
    }

    private static void reset(ServerWebSocket ws) {
        var channel = ((WebSocketInternal) ws).channelHandlerContext().channel();
        channel.eventLoop().execute(() -> {
            channel.config().setOption(ChannelOption.SO_LINGER, 0); // RST instead of FIN
            // past the pipeline, which would otherwise send a close frame first
            channel.unsafe().close(channel.voidPromise());
        });
    }
}
