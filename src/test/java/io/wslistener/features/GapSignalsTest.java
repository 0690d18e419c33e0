package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals an order-book route needs to re-fetch its snapshot: lifecycle exchanges and sequence gaps.
 */
class GapSignalsTest extends FeatureTestSupport {

    @Test
    void lifecycleExchangesComeInOrderWithTheMessages() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            server.autoSendOnConnect(2, i -> "m" + i);
            policy.setLifecycleEvents(true);
            policy.setInitialDelay(Duration.ofMillis(50));
            List<Message> received = startRouteKeepingMessages(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 3);
            server.closeAll((short) 1011, "overloaded").get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 7);

            assertEquals(List.of("connected#1", "m1", "m2", "disconnected#1", "connected#2", "m1", "m2"),
                    received.stream().map(GapSignalsTest::describe).toList());
            Message disconnected = received.get(3);
            assertNull(disconnected.getBody());
            assertEquals(1011, disconnected.getHeader(WsListenerConstants.CLOSE_CODE));
            assertEquals("overloaded", disconnected.getHeader(WsListenerConstants.CAUSE));
            assertTrue(disconnected.getHeader(WsListenerConstants.UPTIME, Long.class) >= 0);
            assertEquals("feed", received.get(4).getHeader(WsListenerConstants.ROUTE_ID));
        }
    }

    @Test
    void offByDefaultTheRouteSeesOnlyData() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            server.autoSendOnConnect(1, i -> "m" + i);
            policy.setInitialDelay(Duration.ofMillis(50));
            List<Message> received = startRouteKeepingMessages(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 1);
            server.closeAll((short) 1011, "overloaded").get(5, TimeUnit.SECONDS);
            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 2);
            assertEquals(List.of("m1", "m1"), received.stream().map(GapSignalsTest::describe).toList());
        }
    }

    @Test
    void aSequenceGapIsAHeaderOnTheFirstMessageAfterItAndAMeter() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start()) {
            int[] sequence = { 1, 2, 5, 6, 7 };
            server.autoSendOnConnect(sequence.length, i -> "{\"seq\":" + sequence[i - 1] + ",\"bid\":100}");
            policy.setSequenceField("seq");
            List<Message> received = startRouteKeepingMessages(server.url("/feed"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> received.size() == 5);
            assertEquals(java.util.Arrays.asList(null, null, 2L, null, null),
                    received.stream().map(m -> m.getHeader(WsListenerConstants.GAP, Long.class)).toList());
            assertEquals(1, feeds.get(0).sequenceGaps().getAsLong());
        }
    }

    private static String describe(Message message) {
        String event = message.getHeader(WsListenerConstants.EVENT, String.class);
        return event != null ? event + "#" + message.getHeader(WsListenerConstants.CONNECTION)
                : message.getBody(String.class);
    }
}
