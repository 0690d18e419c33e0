package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.wslistener.testsupport.YamlCamel.join;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server (or a load balancer in front of a dead one) that accepts TCP and never answers the handshake.
 */
class StalledHandshakeTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    @Test
    void anAttemptThatTimesOutLeavesNoConnectionBehind() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        NetServer server = serverVertx.createNetServer().connectHandler(socket -> {
            accepted.incrementAndGet();
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            socket.handler(request -> {
                // read the upgrade request, never answer
            });
            socket.closeHandler(v -> open.decrementAndGet());
        });
        join(server.listen(0, "127.0.0.1"));
        policy.setConnectTimeout(Duration.ofMillis(300));
        policy.setInitialDelay(Duration.ofMillis(100));
        policy.setMultiplier(1.0);

        LogCapture log = new LogCapture("io.wslistener.connection");
        yamlCamel.startFeed(server.actualPort(), exchange -> {
        });

        await().atMost(10, TimeUnit.SECONDS).until(() -> accepted.get() >= 5);
        await().atMost(2, TimeUnit.SECONDS).until(() -> open.get() <= 1);
        assertEquals(1, maxOpen.get(), "each timed-out handshake must close its connection before the next attempt");
        log.close();
        assertTrue(
                log.contains("WARN",
                        "Route 'feed': attempt 2 failed: ConnectTimeoutException: no handshake within 300ms"),
                String.join("\n", log.lines()));
        assertTrue(yamlCamel.feedLoop().state() != ConnectionState.OPEN);
    }
}
