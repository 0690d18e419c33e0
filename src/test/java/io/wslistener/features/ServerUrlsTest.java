package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.ServerUrlProvider;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The URL of every connect computed again (a token or listen key in the query), and several server URLs tried in turn.
 */
class ServerUrlsTest extends FeatureTestSupport {

    /** A bean such as a REST call for a listen key would be; remembers the threads it was called on. */
    public static final class ListenKeys {

        final AtomicInteger issued = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();

        public String next() {
            threads.add(Thread.currentThread().getName());
            return "key-" + issued.incrementAndGet();
        }
    }

    @Test
    void anExpressionInTheUrlIsEvaluatedOnEveryConnectOffTheEventLoopAndMaskedInTheLog() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                LogCapture log = new LogCapture("io.wslistener.connection")) {
            ListenKeys keys = new ListenKeys();
            yamlCamel.bean("keys", keys);
            policy
                    .setServerUrls("ws://127.0.0.1:" + server.port() + "/ws?listenKey=${bean:keys?method=next}");
            policy.setInitialDelay(Duration.ofMillis(50));
            startRoute("ws://127.0.0.1:1/unused"); // the route's own URI is not used when serverUrls is set

            await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 1);
            server.closeAll((short) 1011, "restart").get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 2);

            assertEquals(List.of("/ws?listenKey=key-1", "/ws?listenKey=key-2"),
                    server.connections().stream().map(ServerConnection::uri).toList());
            assertTrue(keys.threads.stream().noneMatch(t -> t.contains("eventloop")), "on a worker: " + keys.threads);
            String expected = "connected to ws://127.0.0.1:" + server.port() + "/ws?listenKey=xxxxxx";
            assertTrue(log.contains("INFO", expected), String.join("\n", log.lines()));
            assertFalse(String.join("\n", log.lines()).contains("key-1"), "the key never reaches the log");
        }
    }

    @Test
    void aProviderBeanGivesTheUrlOfEachAttemptOffTheEventLoop() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            List<String> asked = new CopyOnWriteArrayList<>();
            AtomicInteger tokens = new AtomicInteger();
            ServerUrlProvider provider = (routeId, url) -> {
                asked.add(routeId + " " + url + " " + Thread.currentThread().getName());
                return url + "?token=t" + tokens.incrementAndGet();
            };
            policy.setUrlProvider(provider);
            policy.setInitialDelay(Duration.ofMillis(50));
            startRoute(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 1);
            server.closeAll((short) 1011, "restart").get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 2);

            assertEquals(List.of("/feed?token=t1", "/feed?token=t2"),
                    server.connections().stream().map(ServerConnection::uri).toList());
            assertTrue(asked.get(0).startsWith("feed ws://127.0.0.1:" + server.port() + "/feed "), asked.get(0));
            assertTrue(asked.stream().noneMatch(a -> a.contains("eventloop")), asked.toString());
        }
    }

    @Test
    void aProviderThatHangsIsCutByTheConnectTimeout() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            policy.setUrlProvider((routeId, url) -> {
                if (calls.incrementAndGet() == 1) {
                    never.await(); // the first call hangs, as a REST call without a timeout can
                }
                return url;
            });
            policy.setConnectTimeout(Duration.ofMillis(300));
            policy.setInitialDelay(Duration.ofMillis(50));
            startRoute(server.url("/feed"));

            try {
                await().atMost(5, TimeUnit.SECONDS).until(() -> server.totalConnections() == 1);
                assertTrue(events.failures.get(0)
                        .contains("the urlProvider bean did not return within connectTimeout 300ms"),
                        events.failures.toString());
            } finally {
                never.countDown();
            }
        }
    }

    @Test
    void severalUrlsAreTriedInTurnWithOneBackoff() throws Exception {
        try (TestWebSocketServer first = new TestWebSocketServer(serverVertx).start();
                TestWebSocketServer second = new TestWebSocketServer(serverVertx).start();
                LogCapture log = new LogCapture("io.wslistener.connection")) {
            int firstPort = first.port();
            first.stop();
            policy
                    .setServerUrls("ws://127.0.0.1:" + firstPort + "/feed, ws://127.0.0.1:" + second.port() + "/feed");
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            startRoute("ws://127.0.0.1:1/unused");

            await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> yamlCamel.consumer("feed").getLoop().state() == ConnectionState.OPEN);
            assertEquals(1, second.totalConnections());
            assertEquals("ws://127.0.0.1:" + second.port() + "/feed",
                    yamlCamel.consumer("feed").getLoop().snapshot().target());
            assertTrue(log.contains("WARN", "attempt 1 failed: AnnotatedConnectException"),
                    String.join("\n", log.lines()));
            assertTrue(
                    log.contains("WARN",
                            "connecting to ws://127.0.0.1:" + firstPort + "/feed; backing off 50ms before attempt 2"),
                    String.join("\n", log.lines()));
            assertTrue(log.contains("INFO", "connected to ws://127.0.0.1:" + second.port() + "/feed"));

            // the second goes down, the first comes back: back to the first, the backoff shared (it keeps growing)
            first.start(firstPort);
            second.stop();
            await().atMost(10, TimeUnit.SECONDS).until(() -> first.totalConnections() == 1);
            assertEquals("ws://127.0.0.1:" + firstPort + "/feed",
                    yamlCamel.consumer("feed").getLoop().snapshot().target());
            assertEquals(List.of(50L, 100L), events.backoffMillis.subList(0, 2),
                    "one backoff over both: the first refused (50 ms), the second dropped before stableUptime (100 ms),"
                            + " which counts against it: the first again");
        }
    }

    @Test
    void aServerThatDropsEveryConnectionBeforeStableUptimeIsLeftForTheNextUrl() throws Exception {
        try (TestWebSocketServer dropping = new TestWebSocketServer(serverVertx).start();
                TestWebSocketServer steady = new TestWebSocketServer(serverVertx).start()) {
            // the first accepts every handshake, then drops the connection at once
            onEveryLoop(new ConnectionListener() {

                @Override
                public void onConnected(long connectionNumber, int attempts, String remote) {
                    dropping.closeAll((short) 1011, "overloaded");
                }
            });
            policy.setServerUrls(dropping.url("/feed") + "\n" + steady.url("/feed"));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setStableUptime(Duration.ofSeconds(10));
            startRoute("ws://127.0.0.1:1/unused");

            await().atMost(10, TimeUnit.SECONDS).until(() -> steady.totalConnections() == 1);
            assertEquals(1, dropping.totalConnections(), "left after its first connection that did not last");
            assertEquals(steady.url("/feed"), yamlCamel.consumer("feed").getLoop().snapshot().target());
        }
    }
}
