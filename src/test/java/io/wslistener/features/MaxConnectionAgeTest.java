package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.FailureCause;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Servers such as Binance cut every connection after a fixed age; ws-listener reconnects first, on its own terms.
 */
class MaxConnectionAgeTest extends FeatureTestSupport {

    @Test
    void aConnectionOfThatAgeIsReplacedAtOnceAsAPlannedReconnect() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            server.autoSendOnConnect(1, i -> "hello");
            policy.setMaxConnectionAge(Duration.ofSeconds(1));
            policy.setStableUptime(Duration.ofMillis(100));
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> server.totalConnections() >= 3 && received.size() >= 3);
            assertEquals(1000, (int) server.connections().get(0).closeStatusCode(), "a clean close");
            assertEquals(List.of(), events.failureCauses);
            assertEquals(0L, events.backoffMillis.get(0), "at once, not after initialDelay");
            assertEquals("#1 maxConnectionAge 1s reached", events.plannedReconnects.get(0));
        }
    }

    @Test
    void aPlannedReconnectIsNoFailureAndResetsNoBackoff() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            server.rejectHandshakesWith(503);
            policy.setMaxConnectionAge(Duration.ofSeconds(1));
            policy.setStableUptime(Duration.ofSeconds(30)); // the connection never becomes stable
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            // two refusals, one connection, then refusals again: driven from the loop's own events, so no race
            onEveryLoop(new ConnectionListener() {

                @Override
                public void onAttemptFailed(int attempt, FailureCause cause, String description) {
                    if (events.connections() == 0 && attempt == 2) {
                        server.acceptHandshakes();
                    }
                }

                @Override
                public void onConnected(long connectionNumber, int attempts, String remote) {
                    server.rejectHandshakesWith(503);
                }
            });
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> events.backoffMillis.size() >= 4);
            assertEquals(List.of(50L, 100L, 0L, 200L), events.backoffMillis.subList(0, 4),
                    "the failure after the planned reconnect is the third in a row, not the first, nor the fourth");
            assertEquals(1, events.plannedReconnects.size());
            assertEquals(
                    List.of(FailureCause.HANDSHAKE_STATUS, FailureCause.HANDSHAKE_STATUS,
                            FailureCause.HANDSHAKE_STATUS),
                    events.failureCauses.subList(0, 3));
        }
    }
}
