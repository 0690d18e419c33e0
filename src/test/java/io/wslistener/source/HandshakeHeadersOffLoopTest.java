package io.wslistener.source;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.FailureCause;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handshake headers are computed off the event loop (a slow provider must not hold up every feed sharing it), and the
 * time they take counts in connectTimeout.
 */
class HandshakeHeadersOffLoopTest {

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final CamelContext camel = yamlCamel.context();
    private final Vertx serverVertx = yamlCamel.serverVertx();

    private TestWebSocketServer server;
    private final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

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
    void theProviderRunsOffTheEventLoop() throws Exception {
        policy.setHeadersProvider(routeId -> {
            onEventLoop.add(Context.isOnEventLoopThread());
            return Map.of("Authorization", "Bearer t" + calls.incrementAndGet());
        });
        startRoute();

        yamlCamel.awaitFeedOpen();
        assertEquals(List.of(false), onEventLoop, "computed on a worker thread");
        assertEquals("Bearer t1", server.lastHandshakeHeaders().get("Authorization"));
    }

    @Test
    void aProviderSlowerThanConnectTimeoutFailsTheAttemptAndTheNextOneConnects() throws Exception {
        policy.setConnectTimeout(Duration.ofMillis(300));
        policy.setInitialDelay(Duration.ofMillis(50));
        policy.setJitter(0.0);
        policy.setHeadersProvider(routeId -> {
            if (calls.incrementAndGet() == 1) {
                assertTrue(release.await(10, TimeUnit.SECONDS)); // the first call hangs (a slow token endpoint)
            }
            return Map.of("Authorization", "Bearer t" + calls.get());
        });
        List<FailureCause> failures = new CopyOnWriteArrayList<>();
        startRoute();
        yamlCamel.feedLoop().addListener(new ConnectionListener() {

            @Override
            public void onAttemptFailed(int attempt, FailureCause cause, String description) {
                failures.add(cause);
            }
        });

        await().atMost(5, TimeUnit.SECONDS).until(() -> !failures.isEmpty());
        assertEquals(FailureCause.TIMEOUT, failures.get(0), "the wait counted in connectTimeout");
        // the provider answers late: the next attempt did not wait for it, and the late answer opens no socket
        release.countDown();
        yamlCamel.awaitFeedOpen();
        assertEquals("Bearer t2", server.lastHandshakeHeaders().get("Authorization"));
        assertEquals(1, server.totalConnections(), "the hung attempt left no socket");
    }

    private void startRoute() throws Exception {
        yamlCamel.startFeed(server.port(), exchange -> {
        });
    }
}
