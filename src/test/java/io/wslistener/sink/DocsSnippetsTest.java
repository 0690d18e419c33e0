package io.wslistener.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML of docs/sinks.md, read out of the page and run as printed.
 */
class DocsSnippetsTest {

    @TempDir
    Path dataDir;

    /** The yaml block that follows {@code <!-- snippet:name -->}. */
    private static String snippet(String name) throws Exception {
        String doc = Docs.section("docs/sinks.md", "Sinks");
        int marker = doc.indexOf("<!-- snippet:" + name + " -->");
        assertTrue(marker >= 0, "no snippet " + name + " in docs/sinks.md");
        int start = doc.indexOf("```yaml\n", marker) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** Every yaml block of the page. */
    private static List<String> allYamlBlocks() {
        return Docs.yamlBlocks(Docs.page("docs/sinks.md"));
    }

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }

    private YamlCamel camel(TestWebSocketServer feed, HttpTestServer http) {
        return YamlCamel.create().property("feed.uri", feed == null ? "direct:no-feed" : feed.listenerUri("/feed"))
                .property("feed.dataDir", dataDir).property("ingest.url", http.url("/ingest"))
                .property("ingest.token", "t0k3n").property("kafka.brokers", "127.0.0.1:1")
                .property("kafka.password", "s3cret");
    }

    @Test
    void theFanOutExampleWritesTheFileAndPostsEveryMessage() throws Exception {
        assertFileAndHttpGetEveryMessage("fan-out", 100);
    }

    @Test
    void theBatchExampleWritesAndPostsEveryMessageOfEveryBatch() throws Exception {
        assertFileAndHttpGetEveryMessage("batches", 1000);
    }

    /** Runs a snippet with a file and an HTTP sink on a feed of {@code count} messages: each sink gets all, in order. */
    private void assertFileAndHttpGetEveryMessage(String snippet, int count) throws Exception {
        List<String> all = IntStream.rangeClosed(1, count).mapToObj(DocsSnippetsTest::message).toList();
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(count, DocsSnippetsTest::message)
                .start();
                HttpTestServer http = HttpTestServer.onFreePort().start()) {
            CamelContext context = camel(feed, http).start(snippet(snippet));
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> http.requests().size() == count);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> SinkFiles.linesOfAll(dataDir, ".jsonl").size() == count);
                assertEquals(all, http.receivedBodies());
                assertEquals(all, SinkFiles.linesOfAll(dataDir, ".jsonl"));
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void theReplayRouteSendsTheDeadLettersAgainInOrder() throws Exception {
        Path replay = Files.createDirectories(dataDir.resolve("replay"));
        Instant now = Instant.now();
        Files.writeString(replay.resolve("ingest-2025-01-30.jsonl"), String.join("\n",
                DeadLetterRecord.toJson("{\"n\":1}", "sink-http:ingest", 6, 503, new IllegalStateException("down"),
                        now),
                DeadLetterRecord.toJson("not json", "sink-http:ingest", 1, 400, null, now)) + "\n");
        Files.writeString(replay.resolve("ingest-2025-01-31.jsonl"),
                DeadLetterRecord.toJson("{\"n\":3}", "sink-http:ingest", 0, null, null, now) + "\n");
        try (HttpTestServer http = HttpTestServer.onFreePort().start()) {
            CamelContext context = camel(null, http).start(snippet("replay"));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> http.requests().size() == 3);
                assertEquals(List.of("{\"n\":1}", "not json", "{\"n\":3}"), http.receivedBodies());
                await().atMost(Duration.ofSeconds(5)).until(() -> SinkFiles.files(replay, ".jsonl").isEmpty());
                assertEquals(2, SinkFiles.files(replay.resolve(".replayed"), ".jsonl").size());
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void theShippedRouteWritesTheFeedToADailyFile() throws Exception {
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(20, DocsSnippetsTest::message)
                .start();
                HttpTestServer http = HttpTestServer.onFreePort()) {
            CamelContext context = camel(feed, http).start(snippet("demo-feed"));
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> SinkFiles.linesOfAll(dataDir, ".jsonl").size() == 20);
                assertEquals(IntStream.rangeClosed(1, 20).mapToObj(DocsSnippetsTest::message).toList(),
                        SinkFiles.linesOfAll(dataDir, ".jsonl"));
                assertTrue(SinkFiles.files(dataDir, ".jsonl").get(0).getFileName().toString()
                        .matches("feed-\\d{4}-\\d\\d-\\d\\d\\.jsonl"));
            } finally {
                context.stop();
            }
        }
    }

    @Test
    void everyYamlBlockOfTheDocumentLoads() throws Exception {
        List<String> blocks = allYamlBlocks();
        assertFalse(blocks.isEmpty());
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(0, DocsSnippetsTest::message)
                .start();
                HttpTestServer http = HttpTestServer.onFreePort()) {
            int n = 0;
            for (String block : blocks) {
                // a block of route steps goes verbatim under a route; whole routes load as they are
                String routes = block.startsWith("- to:") ? """
                        - route:
                            from:
                              uri: direct:doc%d
                              steps:
                        %s""".formatted(n++, block.indent(8)) : block;
                CamelContext context = camel(feed, http).start(routes);
                try {
                    assertFalse(context.getRoutes().isEmpty(), block);
                } finally {
                    context.stop();
                }
            }
        }
    }
}
