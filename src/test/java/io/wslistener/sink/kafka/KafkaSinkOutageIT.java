package io.wslistener.sink.kafka;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wslistener.metrics.ManagementClient;
import io.wslistener.sink.SinkFiles;
import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.KafkaBroker;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker stopped for 15 s in the middle of a fast feed, and started again on the same port and log directory,
 * while the application runs in a JVM of its own with a 256 MB heap ({@link AppInstance}) and the route of the docs,
 * {@code ws-listener:} -> {@code kamelet:ws-kafka-sink}. The server offers 280 MB, more than that heap, as fast as the
 * socket drains: the sink's window fills, the route waits, the consumer pauses the socket, and no OutOfMemoryError
 * comes. Meanwhile the sink's readiness check is DOWN. Once the broker is back every message is in Kafka once, in
 * order per key, and the meters counted each.
 */
class KafkaSinkOutageIT {

    private static final int MESSAGES = 28_000;
    private static final String PAD = "x".repeat(10_000);

    @TempDir
    Path dir;
    private KafkaBroker broker;
    private final TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(1 << 20);

    @AfterEach
    void stop() {
        feed.close();
        if (broker != null) {
            broker.close();
        }
    }

    private static String message(int n) {
        return "{\"seq\":" + n + ",\"k\":\"k" + (n % 4) + "\",\"pad\":\"" + PAD + "\"}";
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aBrokerDownFor15SecondsHoldsTheFeedInABoundedHeapAndLosesNothing() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"));
        broker.createTopic("outage", 2, Map.of());
        feed.start();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("outage.yaml"),
                """
                        - route:
                            id: outage
                            from:
                              uri: "ws-listener:127.0.0.1:%d/feed"
                              steps:
                                - to: "kamelet:ws-kafka-sink?topic=outage&brokers=%s&key=${jsonpath($.k)}&deadLetterDirectory=%s"
                        """
                        .formatted(feed.port(), broker.bootstrapServers(), dir.resolve("dead-letter")));
        int managementPort = AvailablePortFinder.getNextAvailable();
        // a paused socket reads no pongs: no pings, so that the pause is not taken for a dead connection
        Path properties = AppInstance.shippedProperties(dir, "camel.management.port = " + managementPort,
                "wslistener.pingInterval = 0s");
        ManagementClient management = new ManagementClient(managementPort);
        try (AppInstance app = AppInstance.start("kafka-outage", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.openSockets() == 1 || !alive(app));
            assertTrue(alive(app), app.logTail());
            feed.sendTexts(MESSAGES, KafkaSinkOutageIT::message);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broker.recordCount("outage") >= MESSAGES / 20);

            broker.stop();
            long stoppedAt = System.nanoTime();
            // the socket pauses: the server can send no more
            long[] last = { -1, System.nanoTime() };
            await().atMost(Duration.ofSeconds(14)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long sent = feed.lastConnection().messagesSent();
                if (sent != last[0]) {
                    last[0] = sent;
                    last[1] = System.nanoTime();
                }
                return !alive(app) || System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(3);
            });
            long sentWhileDown = feed.lastConnection().messagesSent();
            assertTrue(sentWhileDown < MESSAGES, "paused before the server had sent everything: " + sentWhileDown);
            assertTrue(feed.lastConnection().isOpen(), "paused, not dropped");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> management.get("/observe/health/ready").statusCode() == 503);
            HttpResponse<String> ready = management.get("/observe/health/ready?exposureLevel=full");
            assertTrue(ready.body().contains("wslistener-sink:sink-kafka:outage") && ready.body().contains("DOWN"),
                    ready.body());
            double window = management.value("wslistener_sink_window_records", "routeId=\"outage\"",
                    "sink=\"kafka-sink\"");
            assertTrue(window > 0 && window <= 10_000, "the window holds what waits, within its bound: " + window + "\n"
                    + management.scrape().lines().filter(l -> l.contains("window")).toList());
            double windowBytes = management.value("wslistener_sink_window_bytes", "routeId=\"outage\"");
            assertTrue(windowBytes <= 8 * 1024 * 1024, "within windowBytes (8MB): " + windowBytes);
            // the rest of the 15 s
            long left = Math.max(1, TimeUnit.SECONDS.toMillis(15) - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - stoppedAt));
            await().pollDelay(Duration.ofMillis(left)).atMost(Duration.ofMillis(left + 1000)).until(() -> true);
            assertEquals(sentWhileDown, feed.lastConnection().messagesSent(), "still paused after 15 s");
            assertTrue(alive(app), app.logTail());

            broker.start();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> broker.recordCount("outage") >= MESSAGES || !alive(app));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> management.get("/observe/health/ready").statusCode() == 200);
            String scrape = management.scrape();
            assertEquals(MESSAGES, ManagementClient.sample(scrape, "wslistener_sink_written_total",
                    "sink=\"kafka-sink\"", "routeId=\"outage\"").orElse(-1), scrape);
            assertTrue(ManagementClient.sample(scrape, "kafka_producer_record_send_total").isPresent(),
                    "the producer's own metrics, through Micrometer's Kafka client binder");
            assertEquals(1, feed.totalConnections(), "one connection throughout");
            app.stopGracefully();
            app.awaitExit();
            assertFalse(app.logText().contains("OutOfMemoryError"), app.logTail());
        }

        BitSet seen = new BitSet();
        Map<String, Integer> lastOfKey = new HashMap<>();
        int[] duplicates = { 0 };
        broker.forEachRecord("outage", Duration.ofSeconds(120), record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            int seq = Integer.parseInt(value.substring("{\"seq\":".length(), value.indexOf(',')));
            if (seen.get(seq)) {
                duplicates[0]++;
            }
            seen.set(seq);
            assertEquals(message(seq), value);
            String key = new String(record.key(), StandardCharsets.UTF_8);
            Integer previous = lastOfKey.put(key, seq);
            assertTrue(previous == null || previous < seq, key + ": " + seq + " after " + previous);
        });
        assertEquals(0, duplicates[0], "nothing duplicated");
        assertEquals(MESSAGES, seen.cardinality(), "nothing lost");
        assertEquals(MESSAGES, seen.nextClearBit(1) - 1, "1.." + MESSAGES);
        assertTrue(SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").isEmpty(), "nothing dead-lettered");
    }

    /** False once the child ran out of memory (it may then live on, half dead, so the log is what tells). */
    private static boolean alive(AppInstance app) {
        return !app.logText().contains("OutOfMemoryError");
    }
}
