package io.wslistener.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.wslistener.sink.SinkFiles;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch mode (policy setting {@code maxBatchSize}): one exchange carries the messages that were already waiting
 * together, and the sinks write each of them, in order; without the setting every message is an exchange of its own.
 */
class BatchDeliveryTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final YamlCamel camel = YamlCamel.create();

    /** What the route saw of each exchange, read as it went through. */
    private record Seen(Object body, Integer batchSize, long sequence, Object event, Long gap) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Processor recorder = exchange -> seen.add(seen(exchange));

    private static Seen seen(Exchange exchange) {
        var in = exchange.getMessage();
        return new Seen(in.getBody(), in.getHeader(WsListenerConstants.BATCH_SIZE, Integer.class),
                in.getHeader(WsListenerConstants.SEQUENCE, 0L, Long.class), in.getHeader(WsListenerConstants.EVENT),
                in.getHeader(WsListenerConstants.GAP, Long.class));
    }

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }

    private static List<String> messages(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(BatchDeliveryTest::message).toList();
    }

    /** A feed route with a policy of these properties; its steps after the recorder. */
    private void start(TestWebSocketServer feed, String policyProperties, String steps) throws Exception {
        camel.property("dir", dir).property("feed.uri", feed.listenerUri("/feed")).bean("recorder", recorder).start("""
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        %s
                - route:
                    id: feed
                    routePolicy: feedPolicy
                    from:
                      uri: "{{feed.uri}}"
                      steps:
                        - process:
                            ref: recorder
                %s""".formatted(policyProperties, steps.indent(8)));
    }

    @Test
    void aBusyFeedGoesInBatchesAndBothFileSinksWriteEveryMessageInOrder() throws Exception {
        int count = 20_000;
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(count, BatchDeliveryTest::message)
                .start()) {
            start(feed, "maxBatchSize: 100", """
                    - to: "sink-file:{{dir}}?fileName=direct.jsonl"
                    - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=kamelet.jsonl"
                    """);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SinkFiles.lines(dir.resolve("direct.jsonl")).size() >= count
                            && SinkFiles.lines(dir.resolve("kamelet.jsonl")).size() >= count);
            assertEquals(messages(count), SinkFiles.lines(dir.resolve("direct.jsonl")));
            assertEquals(messages(count), SinkFiles.lines(dir.resolve("kamelet.jsonl")));

            assertTrue(seen.size() < count, "fewer exchanges than messages: " + seen.size());
            long next = 1;
            for (Seen exchange : seen) {
                List<?> batch = assertInstanceOf(List.class, exchange.body());
                assertEquals(batch.size(), exchange.batchSize(), "the header counts the batch");
                assertTrue(batch.size() >= 1 && batch.size() <= 100, "at most maxBatchSize: " + batch.size());
                assertEquals(next, exchange.sequence(), "the sequence of the batch's first message");
                assertEquals(message((int) next), batch.get(0));
                next += batch.size();
            }
            assertEquals(count + 1, next, "the batches hold every message once");
        }
    }

    @Test
    void theHttpSinkPostsEveryMessageOfABatch() throws Exception {
        int count = 300;
        try (HttpTestServer server = HttpTestServer.onFreePort().start();
                TestWebSocketServer feed = new TestWebSocketServer()
                        .autoSendOnConnect(count, BatchDeliveryTest::message).start()) {
            camel.property("url", server.url("/ingest"));
            start(feed, "maxBatchSize: 50", """
                    - to: "kamelet:ws-http-sink?url={{url}}&name=orders&deadLetterDirectory={{dir}}/dead-letter"
                    """);

            await().atMost(Duration.ofSeconds(30)).until(() -> server.receivedBodies().size() >= count);
            assertEquals(messages(count), server.receivedBodies(), "one POST per message (batchSize=1), in order");
            assertTrue(seen.stream().allMatch(s -> s.body() instanceof List), "the route saw batches");
        }
    }

    @Test
    void lifecycleEventsAreNeverBatched() throws Exception {
        int count = 5_000;
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(count, BatchDeliveryTest::message)
                .start()) {
            start(feed, "maxBatchSize: 100\n        lifecycleEvents: true", """
                    - to: "sink-file:{{dir}}?fileName=feed.jsonl"
                    """);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SinkFiles.lines(dir.resolve("feed.jsonl")).size() > count);
            assertEquals("connected", seen.get(0).event(), "the event first, alone");
            assertNull(seen.get(0).batchSize());
            assertTrue(seen.stream().skip(1).allMatch(s -> s.body() instanceof List && s.event() == null),
                    "then only batches of messages");
            // the event's empty body is a record of its own, before the messages
            List<String> expected = new ArrayList<>(List.of("\"\""));
            expected.addAll(messages(count));
            assertEquals(expected, SinkFiles.lines(dir.resolve("feed.jsonl")));
        }
    }

    @Test
    void sequenceGapsAreCheckedMessageByMessage() throws Exception {
        int count = 5_000;
        // numbers 1..2499, then 2501..: one gap, of 1, at the 2500th message
        try (TestWebSocketServer feed = new TestWebSocketServer()
                .autoSendOnConnect(count, n -> "{\"seq\":" + (n < 2500 ? n : n + 1) + "}").start()) {
            start(feed, "maxBatchSize: 100\n        sequenceField: seq", """
                    - to: "sink-file:{{dir}}?fileName=feed.jsonl"
                    """);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SinkFiles.lines(dir.resolve("feed.jsonl")).size() >= count);
            assertEquals(1, camel.consumer("feed").getFeed().sequenceGaps().getAsLong(), "one gap, counted once");
            List<Seen> withGap = seen.stream().filter(s -> s.gap() != null).toList();
            assertEquals(1, withGap.size(), "one batch has the header");
            Seen batch = withGap.get(0);
            List<?> messages = (List<?>) batch.body();
            assertTrue(batch.sequence() <= 2500 && 2500 < batch.sequence() + messages.size(),
                    "the batch holds the message after the gap: from " + batch.sequence() + ", " + messages.size());
            assertEquals(1L, batch.gap());
        }
    }

    @Test
    void withoutTheSettingEachMessageIsAnExchangeOfItsOwn() throws Exception {
        int count = 5_000;
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(count, BatchDeliveryTest::message)
                .start()) {
            start(feed, "maxInFlight: 1000", """
                    - to: "sink-file:{{dir}}?fileName=feed.jsonl"
                    """);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SinkFiles.lines(dir.resolve("feed.jsonl")).size() >= count);
            assertEquals(messages(count), SinkFiles.lines(dir.resolve("feed.jsonl")));
            assertEquals(count, seen.size(), "one exchange per message");
            assertTrue(seen.stream().allMatch(s -> s.body() instanceof String && s.batchSize() == null));
        }
    }
}
