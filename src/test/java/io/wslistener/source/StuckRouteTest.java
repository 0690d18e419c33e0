package io.wslistener.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.spi.DeliveryStatus;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route that stops keeping up: the socket pauses, yet the connection is still watched, and a restart after a drain
 * that timed out never processes one route on two threads.
 */
class StuckRouteTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();

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
    void pingsGoOnWhileReadingIsPaused() throws Exception {
        policy.setMaxInFlight(5);
        policy.setPingInterval(Duration.ofMillis(100));
        startStuckRoute();
        server.sendTexts(50, i -> "m" + i);
        DeliveryStatus delivery = yamlCamel.consumer("feed").getFeed().delivery();
        await().atMost(5, TimeUnit.SECONDS).until(() -> delivery.pausedForNanos() > 0);

        long before = server.pingsReceived();
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.pingsReceived() >= before + 3);
        assertTrue(delivery.pausedForNanos() > 0, "still paused: the pings went out while paused");
        assertEquals(ConnectionState.OPEN, yamlCamel.feedLoop().state());
    }

    /**
     * A route stop whose budget runs out while the route holds "first 1": the two messages behind it are cut off for the
     * undelivered file (written once the route lets go), and the restart's messages wait behind them, counted in flight,
     * on one thread at a time.
     */
    @Test
    void aRestartAfterADrainTimeoutNeverRunsTwoHandoffs() throws Exception {
        policy.setDrainTimeout(Duration.ofMillis(200));
        camel.getShutdownStrategy().setTimeout(1);
        startStuckRoute();
        server.sendTexts(3, i -> "first " + i);
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> concurrent.get() == 1 && yamlCamel.consumer("feed").getInFlight() == 3);

        camel.getRouteController().stopRoute("feed"); // the drain times out: "first 1" is held, 2 and 3 wait
        // although the stop was forced (Camel interrupted it), it closed the socket: no old loop reconnects
        await().atMost(3, TimeUnit.SECONDS).until(() -> server.openSockets() == 0);
        camel.getRouteController().startRoute("feed"); // a new consumer, while the old one's drain still holds "first 1"
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> yamlCamel.feedLoop().state() == ConnectionState.OPEN
                        && server.openSockets() == 1);
        server.sendTexts(3, i -> "second " + i);
        // the previous start's three count too: a graceful stop now waits for them as well
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer("feed").getInFlight() == 6);
        release.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> written.size() == 4 && yamlCamel.undelivered().size() == 2);
        assertEquals(List.of("first 1", "second 1", "second 2", "second 3"), List.copyOf(written));
        assertEquals(List.of("first 2", "first 3"), yamlCamel.undelivered(), "cut off by the stop's budget, in order");
        assertEquals(1, maxConcurrent.get(), "one thread at a time processes the route");
    }

    private void startStuckRoute() throws Exception {
        yamlCamel.startFeed(server.port(), exchange -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
                written.add(exchange.getMessage().getBody(String.class));
            } finally {
                concurrent.decrementAndGet();
            }
        });
        yamlCamel.awaitFeedOpen();
    }
}
