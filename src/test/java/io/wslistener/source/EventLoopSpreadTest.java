package io.wslistener.source;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.VertxOptions;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Feeds spread over every event loop of the component's Vert.x, so that many feeds use every core: each feed's
 * connection loop runs on an event loop taken in turn, and nothing else a feed creates takes a turn in between.
 */
class EventLoopSpreadTest {

    private static final int EVENT_LOOPS = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    private static final int FEEDS = 2 * EVENT_LOOPS;

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5);

    @Test
    void feedsRunOnEveryEventLoop() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(yamlCamel.serverVertx()).start()) {
            StringBuilder routes = new StringBuilder();
            for (int i = 0; i < FEEDS; i++) {
                routes.append("""
                        - route:
                            id: feed-%d
                            from:
                              uri: "ws-listener:127.0.0.1:%d/feeds/%d"
                              steps:
                                - to: "log:feed?level=OFF"
                        """.formatted(i, server.port(), i));
            }
            yamlCamel.start(routes.toString());
            await().atMost(20, TimeUnit.SECONDS).until(() -> server.openSockets() == FEEDS);

            Set<String> loops = new TreeSet<>();
            for (int i = 0; i < FEEDS; i++) {
                ConnectionLoop loop = yamlCamel.consumer("feed-" + i).getLoop();
                assertEquals(ConnectionState.OPEN, loop.state());
                loops.add(threadOf(loop));
            }
            assertEquals(EVENT_LOOPS, loops.size(), FEEDS + " feeds on the event loops " + loops);
        }
    }

    private static String threadOf(ConnectionLoop loop) throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        loop.context().runOnContext(v -> thread.complete(Thread.currentThread().getName()));
        return thread.get(5, TimeUnit.SECONDS);
    }
}
