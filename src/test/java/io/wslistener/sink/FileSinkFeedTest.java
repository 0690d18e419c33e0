package io.wslistener.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file sink behind a real ws-listener route, fed by an in-process WebSocket server.
 */
class FileSinkFeedTest {

    @TempDir
    Path dir;

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }

    private static List<String> messages(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(FileSinkFeedTest::message).toList();
    }

    @Test
    void theEndOfEachBatchFlushes() throws Exception {
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(7, FileSinkFeedTest::message)
                .start()) {
            // neither the count nor a timer can flush here: only the consumer's end-of-batch mark can
            CamelContext context = YamlCamel.create().property("dir", dir)
                    .property("feed.uri", feed.listenerUri("/feed"))
                    .start("""
                            - route:
                                from:
                                  uri: "{{feed.uri}}"
                                  steps:
                                    - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushEvery=1000000&flushInterval=0"
                            """);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> SinkFiles.lines(dir.resolve("feed.jsonl")).size() == 7);
                assertEquals(messages(1, 7), SinkFiles.lines(dir.resolve("feed.jsonl")));
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void aContextStopWhileMessagesFlowLosesNothing() throws Exception {
        AtomicInteger received = new AtomicInteger();
        Processor counter = exchange -> received.incrementAndGet();
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(500_000, FileSinkFeedTest::message)
                .start()) {
            CamelContext context = YamlCamel.create().property("dir", dir)
                    .property("feed.uri", feed.listenerUri("/feed"))
                    .bean("counter", counter)
                    .start("""
                            - route:
                                from:
                                  uri: "{{feed.uri}}"
                                  steps:
                                    - process:
                                        ref: counter
                                    - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushEvery=1000000&flushInterval=0"
                            """);
            await().atMost(Duration.ofSeconds(20)).until(() -> received.get() >= 20_000);
            context.stop();

            List<String> lines = SinkFiles.lines(dir.resolve("feed.jsonl"));
            assertTrue(lines.size() < 500_000, "stopped while the feed was still sending: " + lines.size());
            assertEquals(received.get(), lines.size(), "every message the route received is in the file");
            assertEquals(messages(1, lines.size()), lines);
        }
    }
}
