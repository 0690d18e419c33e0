package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a close code or a refused handshake's Retry-After does to the backoff.
 */
class ClosePolicyTest extends FeatureTestSupport {

    @Test
    void aServerRedeployingAfterAStableConnectionIsNoFailure() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            // maxAttempts 1: a close counted as a failure would stop the route at the first one
            policy.setMaxAttempts(1);
            policy.setStableUptime(Duration.ofMillis(100));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            closeEachConnectionAfter(server, 200, 1012, "service restart");
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 3);
            assertEquals(List.of(), events.gaveUp);
            assertEquals(List.of(50L, 50L, 50L), events.backoffMillis.subList(0, 3), "initialDelay each time");
            assertEquals(0, yamlCamel.consumer("feed").getLoop().snapshot().failedInARow());
        }
    }

    @Test
    void goingAwayBeforeTheConnectionWasStableIsAFailure() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            policy.setStableUptime(Duration.ofSeconds(30));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            closeEachConnectionAfter(server, 20, 1001, "going away");
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 3);
            assertEquals(List.of(50L, 100L, 200L), events.backoffMillis.subList(0, 3));
        }
    }

    @Test
    void tryAgainLaterBacksOffEvenAfterAStableConnection() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            policy.setStableUptime(Duration.ofMillis(100));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            closeEachConnectionAfter(server, 200, 1013, "try again later");
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 3);
            assertEquals(List.of(50L, 100L, 200L), events.backoffMillis.subList(0, 3));
        }
    }

    @Test
    void retryAfterOfA503Or429IsHonouredUpToMaxDelay() throws Exception {
        try (HttpTestServer server = new HttpTestServer().start()) {
            server.defaultStatus(503);
            server.respondWithRetryAfter(503, "30"); // capped by maxDelay: 700 ms
            server.respondWithRetryAfter(429, "Tue, 01 Dec 2020 00:00:00 GMT"); // in the past: the backoff's 100 ms
            server.respondWith(503); // none: 200 ms
            server.respondWithRetryAfter(500, "5"); // not a status that is honoured
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setMaxDelay(Duration.ofMillis(700));
            policy.setJitter(0.0);
            startRoute("ws://127.0.0.1:" + server.port() + "/feed");

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 4);
            assertEquals(List.of(700L, 100L, 200L, 400L), events.backoffMillis.subList(0, 4));
            assertTrue(events.failures.get(0).contains("503"), events.failures.toString());
        }
    }

    /** Has the server close every connection this long after it opened, with this code. */
    private void closeEachConnectionAfter(TestWebSocketServer server, long millis, int code, String reason) {
        onEveryLoop(new ConnectionListener() {

            @Override
            public void onConnected(long connectionNumber, int attempts, String remote) {
                serverVertx.setTimer(millis, t -> server.closeAll((short) code, reason));
            }
        });
    }
}
