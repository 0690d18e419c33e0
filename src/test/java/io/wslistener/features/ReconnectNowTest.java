package io.wslistener.features;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionState;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's reconnect (JMX {@code reconnectNow}) while the server's frames are still on their way: it closes the
 * way every other close does. The old socket's frames first, then its {@code disconnected}, then the next connect; never
 * two sockets at the server.
 */
class ReconnectNowTest extends FeatureTestSupport {

    @Test
    void theOldSocketsFramesComeFirstThenItsDisconnectThenTheNextConnect() throws Exception {
        try (TestWebSocketServer server = new TestWebSocketServer(serverVertx).start();
                LogCapture log = new LogCapture("io.wslistener.source.WsListenerConsumer")) {
            policy.setLifecycleEvents(true);
            policy.setMaxInFlight(20);
            CountDownLatch release = new CountDownLatch(1);
            List<String> seen = new CopyOnWriteArrayList<>();
            yamlCamel.start(new RouteBuilder() {

                @Override
                public void configure() {
                    from(server.listenerUri("/feed")).routeId("feed").routePolicyRef("policy").process(exchange -> {
                        Message in = exchange.getMessage();
                        if (in.getHeader(WsListenerConstants.EVENT) == null) {
                            // the route is busy with the first message: reading pauses, frames wait in TCP buffers
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                        }
                        seen.add(describe(in));
                    });
                }
            });
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.connections() == 1);
            server.sendTexts(2000, i -> "old " + i);
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.pauses.get() > 0);

            yamlCamel.consumer("feed").reconnectNow();
            release.countDown();
            await().atMost(10, TimeUnit.SECONDS).until(() -> events.connections() == 2
                    && yamlCamel.consumer("feed").getLoop().state() == ConnectionState.OPEN);
            server.sendTexts(2, i -> "new " + i).get(10, TimeUnit.SECONDS);
            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.contains("#2 new 2"));

            int disconnected = seen.indexOf("disconnected #1");
            int connected = seen.indexOf("connected #2");
            List<String> old = seen.subList(1, disconnected);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= old.size(); i++) {
                expected.add("#1 old " + i);
            }
            assertEquals("connected #1", seen.get(0));
            assertTrue(old.size() > 20, "frames were in flight at the reconnect: " + old.size());
            assertEquals(expected, old, "every frame of the old socket, in order, before its disconnected");
            assertEquals(disconnected + 1, connected,
                    "then the next connect: " + seen.subList(disconnected, seen.size()));
            assertEquals(List.of("#2 new 1", "#2 new 2"), seen.subList(connected + 1, seen.size()));
            assertEquals(1, server.maxConcurrentSockets(), "never two sockets, not even for a moment");
            await().atMost(5, TimeUnit.SECONDS).until(() -> log.contains("INFO",
                    "Route 'feed': reconnectNow requested by a local caller (JMX): closing connection #1 with 1000"));
        }
    }

    private static String describe(Message in) {
        Object event = in.getHeader(WsListenerConstants.EVENT);
        long connection = in.getHeader(WsListenerConstants.CONNECTION, Long.class);
        return event != null ? event + " #" + connection : "#" + connection + " " + in.getBody(String.class);
    }
}
