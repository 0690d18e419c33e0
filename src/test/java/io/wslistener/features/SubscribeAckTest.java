package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that accepts the socket but silently ignores a malformed subscribe; a good one it acknowledges.
 */
class SubscribeAckTest extends FeatureTestSupport {

    private static final String GOOD = "{\"op\":\"subscribe\",\"args\":[\"trades\"]}";
    private static final String BAD = "{\"op\":\"subscribe\",\"args\":[\"trades\"}";

    @Test
    void anUnacknowledgedSubscribeIsAFailedAttemptOfItsOwnCause() throws Exception {
        try (TestWebSocketServer server = acknowledgingServer()) {
            policy.setOpenMessages(BAD);
            policy.setSubscribeAck("regex:\"event\":\"subscribed\"");
            policy.setSubscribeAckTimeout(Duration.ofMillis(300));
            policy.setInitialDelay(Duration.ofMillis(50));
            policy.setJitter(0.0);
            policy.setStableUptime(Duration.ofMillis(100)); // shorter than the wait: still no reset of the backoff
            policy.setMaxAttempts(3);
            startRoute(server.url("/feed"));

            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> yamlCamel.consumer("feed").getLoop().state() == ConnectionState.FAILED);
            assertEquals(3, server.totalConnections(), "each connection was given up, counted against maxAttempts");
            assertTrue(
                    events.failureCauses.size() >= 2
                            && events.failureCauses.stream().allMatch(FailureCause.NO_SUBSCRIBE_ACK::equals),
                    "causes: " + events.failureCauses);
            assertTrue(events.failures.contains("no subscribe acknowledgement within 300ms"),
                    "failures: " + events.failures);
            assertTrue(
                    events.backoffMillis.size() >= 1
                            && events.backoffMillis.get(events.backoffMillis.size() - 1) == 100,
                    "the backoff grows as for failed attempts: " + events.backoffMillis);
            assertTrue(
                    yamlCamel.consumer("feed").getLoop().snapshot().lastCause()
                            .contains("no subscribe acknowledgement within 300ms"),
                    yamlCamel.consumer("feed").getLoop().snapshot().lastCause());
        }
    }

    @Test
    void anAcknowledgedSubscribeKeepsTheConnection() throws Exception {
        try (TestWebSocketServer server = acknowledgingServer()) {
            policy.setOpenMessages(GOOD);
            policy.setSubscribeAck("regex:\"event\":\"subscribed\"");
            policy.setSubscribeAckTimeout(Duration.ofMillis(300));
            policy.setPingInterval(Duration.ofMillis(100));
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 2);
            // two timeouts later the first connection is still the only one
            server.sendTexts(1, i -> "trade 1").get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 3);
            awaitPings(server, 8); // pings every 100 ms: the connection outlived two acknowledgement timeouts
            assertEquals(1, server.totalConnections());
            assertEquals(List.of(), events.failureCauses);
            assertEquals(List.of("hello", "{\"event\":\"subscribed\"}", "trade 1"), received,
                    "the acknowledgement and what came before it are data like any other message");
        }
    }

    @Test
    void anyMessageWillDo() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            server.autoSendOnConnect(1, i -> "welcome");
            policy.setSubscribeAck("any");
            policy.setSubscribeAckTimeout(Duration.ofMillis(300));
            policy.setPingInterval(Duration.ofMillis(100));
            List<String> received = startRoute(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1);
            awaitPings(server, 8);
            assertEquals(1, server.totalConnections());
        }
    }

    private static void awaitPings(TestWebSocketServer server, int pings) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> server.connections().get(0).pingsReceived() >= pings);
    }

    /** Sends "hello" on connect; acknowledges a well-formed subscribe, ignores anything else. */
    private TestWebSocketServer acknowledgingServer() {
        TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
        server.autoSendOnConnect(1, i -> "hello");
        server.onText((c, text) -> {
            if (text.equals(GOOD)) {
                c.sendText("{\"event\":\"subscribed\"}");
            }
        });
        return server;
    }
}
