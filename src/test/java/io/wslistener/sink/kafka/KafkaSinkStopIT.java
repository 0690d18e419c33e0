package io.wslistener.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.wslistener.sink.SinkFiles;
import io.wslistener.sink.deadletter.DeadLetterRecord;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to the application (a JVM of its own) while the server blasts: every message the server wrote before the
 * close frame is, once, in Kafka or in a dead-letter file (the sink's, or the consumer's undelivered file), and
 * nothing else is.
 */
class KafkaSinkStopIT {

    @TempDir
    Path dir;
    private KafkaBroker broker;
    private static final String PAD = "x".repeat(4000);
    private final TestWebSocketServer feed = new TestWebSocketServer();

    @AfterEach
    void stop() {
        feed.close();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyMessageWrittenBeforeTheCloseFrameIsInKafkaOrADeadLetterFileOnce() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"));
        broker.createTopic("blast", 1, Map.of());
        // 4 KB messages: a stop reads what the kernel still buffers during the close handshake, which the consumer
        // bounds to 2 s; tiny messages would put more of them there than a sink can take in that time
        feed.autoSendOnConnect(1_000_000, n -> "{\"seq\":" + n + ",\"pad\":\"" + PAD + "\"}").start();
        Path deadLetters = dir.resolve("dead-letter");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("blast.yaml"), """
                - route:
                    id: blast
                    from:
                      uri: "ws-listener:127.0.0.1:%d/feed"
                      steps:
                        - to: "kamelet:ws-kafka-sink?topic=blast&brokers=%s&deadLetterDirectory=%s"
                """.formatted(feed.port(), broker.bootstrapServers(), deadLetters));
        Path properties = AppInstance.shippedProperties(dir,
                "camel.management.port = " + AvailablePortFinder.getNextAvailable(),
                "wslistener.undelivered.directory = " + deadLetters);
        String log;
        try (AppInstance app = AppInstance.start("kafka-sigterm", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> broker.recordCount("blast") >= 5_000);
            assertEquals(1, feed.openSockets(), "still blasting when SIGTERM comes\n" + app.logTail());
            app.stopGracefully();
            app.awaitExit();
            log = app.logTail();
        }
        long written = feed.lastConnection().messagesWritten();
        assertTrue(written < 1_000_000, "stopped mid-blast: " + written);

        int[] seen = new int[(int) written + 1];
        int[] beyond = { 0 };
        broker.forEachRecord("blast", Duration.ofSeconds(60), record -> count(seen, beyond,
                new String(record.value(), StandardCharsets.UTF_8)));
        long inKafka = broker.recordCount("blast");
        int deadLettered = 0;
        for (String line : SinkFiles.linesOfAll(deadLetters, ".jsonl")) {
            count(seen, beyond, String.valueOf(DeadLetterRecord.originalMessage(line)));
            deadLettered++;
        }
        System.out.printf("SIGTERM mid-blast: %d written by the server, %d in Kafka, %d in dead-letter files%n",
                written, inKafka, deadLettered);
        assertEquals(0, beyond[0], "nothing the server did not write");
        for (int seq = 1; seq <= written; seq++) {
            assertEquals(1, seen[seq], "message " + seq + " of " + written + " (" + inKafka + " in Kafka, "
                    + deadLettered + " dead-lettered)\n" + log);
        }
    }

    private static void count(int[] seen, int[] beyond, String message) {
        int seq = Integer.parseInt(message.substring("{\"seq\":".length(), message.indexOf(',')));
        if (seq < seen.length) {
            seen[seq]++;
        } else {
            beyond[0]++;
        }
    }
}
