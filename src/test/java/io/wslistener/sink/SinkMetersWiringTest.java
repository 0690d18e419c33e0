package io.wslistener.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wslistener.metrics.MeterNames;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.WsListenerConstants;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sinks record their meters under the feed's route: messages written, retries, dead letters and write latency,
 * through the kamelets, with a real WebSocket feed, real HTTP servers and real files.
 */
class SinkMetersWiringTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpTestServer server;
    private CamelContext context;

    @AfterEach
    void tearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }

    private static List<String> messages(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(SinkMetersWiringTest::message).toList();
    }

    private YamlCamel camel() {
        return YamlCamel.create().property("dir", dir).bean(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
    }

    /** A direct route into one sink; messages are sent with the header a ws-listener route would have set. */
    private void startDirectRoute(String sinkUri) throws Exception {
        context = camel().property("url", server == null ? "http://127.0.0.1:1/none" : server.url("/ingest")).start("""
                - route:
                    id: relay
                    from:
                      uri: direct:in
                      steps:
                        - to: "%s"
                """.formatted(sinkUri));
    }

    private void sendAsFeed(String feedRouteId, List<String> messages) {
        ProducerTemplate template = context.createProducerTemplate();
        messages.forEach(m -> template.sendBodyAndHeader("direct:in", m, WsListenerConstants.ROUTE_ID, feedRouteId));
    }

    private double count(String meter, String routeId, String sink) {
        return registry.get(meter).tag(MeterNames.ROUTE_ID, routeId).tag(MeterNames.SINK, sink).counter().count();
    }

    private long latencyCount(String routeId, String sink) {
        return registry.get(MeterNames.SINK_LATENCY).tag(MeterNames.ROUTE_ID, routeId).tag(MeterNames.SINK, sink)
                .timer()
                .count();
    }

    private List<String> taggedRouteIds(String meter) {
        return registry.find(meter).meters().stream().map(m -> m.getId().getTag(MeterNames.ROUTE_ID)).distinct()
                .sorted()
                .toList();
    }

    /** One exchange per message, and batches (maxBatchSize): the sinks count each message of a batch. */
    @ParameterizedTest(name = "maxBatchSize {0}")
    @ValueSource(ints = { 1, 50 })
    void aFeedThroughBothKameletsIsCountedUnderTheFeedsRoute(int maxBatchSize) throws Exception {
        int total = 200;
        server = HttpTestServer.onFreePort().start();
        try (TestWebSocketServer feed = new TestWebSocketServer()
                .autoSendOnConnect(total, SinkMetersWiringTest::message).start()) {
            context = camel().property("feed.uri", feed.listenerUri("/feed")).property("url", server.url("/ingest"))
                    .property("wslistener.maxBatchSize", maxBatchSize)
                    .start("""
                            - route:
                                id: quotes
                                from:
                                  uri: "{{feed.uri}}"
                                  steps:
                                    - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl"
                                    - to: "kamelet:ws-http-sink?url={{url}}&name=ingest&deadLetterDirectory={{dir}}/dead-letter"
                            """);

            await().atMost(Duration.ofSeconds(15)).until(() -> server.requests().size() == total
                    && SinkFiles.lines(dir.resolve("feed.jsonl")).size() == total);
            // the HTTP sink counts after the 2xx answer, which the server sends after recording the request
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> count(MeterNames.SINK_WRITTEN, "quotes", "ingest") == total);
            assertEquals(total, count(MeterNames.SINK_WRITTEN, "quotes", "file-sink"));
            assertEquals(total, latencyCount("quotes", "ingest"), "one timing per POST");
            long fileWrites = latencyCount("quotes", "file-sink");
            assertTrue(fileWrites > 0 && fileWrites <= total, "one timing per buffer write: " + fileWrites);
            for (String sink : List.of("file-sink", "ingest")) {
                assertEquals(0, count(MeterNames.SINK_RETRIES, "quotes", sink), sink);
                assertEquals(0, count(MeterNames.SINK_DEAD_LETTERED, "quotes", sink), sink);
            }
            // the sinks ran in the kamelets' routes, yet nothing is tagged with those
            assertEquals(List.of("quotes"), taggedRouteIds(MeterNames.SINK_WRITTEN));
            assertEquals(List.of("quotes"), taggedRouteIds(MeterNames.SINK_LATENCY));
        }
    }

    @Test
    void serverErrorsThenSuccessCountRetriesAndEveryMessageWritten() throws Exception {
        server = HttpTestServer.onFreePort().respondWith(500, 500).start();
        startDirectRoute(
                "kamelet:ws-http-sink?url={{url}}&name=ingest&initialDelay=20ms&deadLetterDirectory={{dir}}/dl");
        sendAsFeed("quotes", messages(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> count(MeterNames.SINK_WRITTEN, "quotes", "ingest") == 5);
        assertEquals(7, server.requests().size(), "the first message took 3 attempts");
        assertEquals(2, count(MeterNames.SINK_RETRIES, "quotes", "ingest"));
        assertEquals(0, count(MeterNames.SINK_DEAD_LETTERED, "quotes", "ingest"));
        assertEquals(5, latencyCount("quotes", "ingest"), "one timing per delivered POST, retries included");
        assertEquals(List.of("quotes"), taggedRouteIds(MeterNames.SINK_WRITTEN));
    }

    @Test
    void badRequestsAreCountedAsDeadLettered() throws Exception {
        server = HttpTestServer.onFreePort().defaultStatus(400).start();
        startDirectRoute(
                "kamelet:ws-http-sink?url={{url}}&name=ingest&initialDelay=20ms&deadLetterDirectory={{dir}}/dl");
        sendAsFeed("quotes", messages(4));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(MeterNames.SINK_DEAD_LETTERED, "quotes", "ingest") == 4);
        assertEquals(4, SinkFiles.linesOfAll(dir.resolve("dl"), ".jsonl").size());
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "quotes", "ingest"));
        assertEquals(0, count(MeterNames.SINK_RETRIES, "quotes", "ingest"), "a 400 is not retried");
        assertEquals(0, latencyCount("quotes", "ingest"), "only delivered writes are timed");
    }

    @Test
    void retriesThatRunOutAreCountedAndDeadLettered() throws Exception {
        server = HttpTestServer.onFreePort().defaultStatus(503).start();
        startDirectRoute("kamelet:ws-http-sink?url={{url}}&name=ingest&maxRetries=2&initialDelay=20ms"
                + "&deadLetterDirectory={{dir}}/dl");
        sendAsFeed("quotes", messages(3));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(MeterNames.SINK_DEAD_LETTERED, "quotes", "ingest") == 3);
        assertEquals(6, count(MeterNames.SINK_RETRIES, "quotes", "ingest"), "2 retries for each message");
        assertEquals(9, server.requests().size());
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "quotes", "ingest"));
    }

    @Test
    void whatTheStopDeadlineCutsOffIsCountedAsDeadLettered() throws Exception {
        // never started: every attempt is refused
        server = HttpTestServer.onFreePort();
        startDirectRoute(
                "kamelet:ws-http-sink?url={{url}}&name=ingest&maxRetries=-1&initialDelay=50ms&drainTimeout=300ms"
                        + "&connectTimeout=1s&deadLetterDirectory={{dir}}/dl");
        sendAsFeed("quotes", messages(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> count(MeterNames.SINK_RETRIES, "quotes", "ingest") >= 1);
        context.stop();

        // the message being retried and the four waiting behind it
        assertEquals(5, count(MeterNames.SINK_DEAD_LETTERED, "quotes", "ingest"));
        assertEquals(5, SinkFiles.linesOfAll(dir.resolve("dl"), ".jsonl").size());
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "quotes", "ingest"));
    }

    @Test
    void routesSharingOneFileAreCountedApartWhenTheirMessagesReachTheFile() throws Exception {
        // no ws-listener header here: the sink falls back to the route the exchange came from
        context = camel().start("""
                - route:
                    id: route-a
                    from:
                      uri: direct:a
                      steps:
                        - to: "sink-file:{{dir}}?fileName=shared.jsonl&name=archive&flushEvery=1000000&flushInterval=0"
                - route:
                    id: route-b
                    from:
                      uri: direct:b
                      steps:
                        - to: "sink-file:{{dir}}?fileName=shared.jsonl&name=archive&flushEvery=1000000&flushInterval=0"
                """);
        ProducerTemplate template = context.createProducerTemplate();
        for (int n = 1; n <= 8; n++) {
            template.sendBody(n % 3 == 0 ? "direct:a" : "direct:b", message(n));
        }
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "route-a", "archive"), "still in the buffer, not in the file");
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "route-b", "archive"));

        context.stop();
        assertEquals(8, SinkFiles.lines(dir.resolve("shared.jsonl")).size());
        assertEquals(2, count(MeterNames.SINK_WRITTEN, "route-a", "archive"));
        assertEquals(6, count(MeterNames.SINK_WRITTEN, "route-b", "archive"));
        // one write of the buffer held both routes' messages: each route's timer has it once
        assertEquals(1, latencyCount("route-a", "archive"));
        assertEquals(1, latencyCount("route-b", "archive"));
    }

    @Test
    void aRouteNotFedByWsListenerIsCountedUnderItsOwnIdBehindTheKamelets() throws Exception {
        server = HttpTestServer.onFreePort().start();
        startDirectRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl");
        ProducerTemplate template = context.createProducerTemplate();
        messages(4).forEach(m -> template.sendBody("direct:in", m));
        context.stop();

        // the exchange reaches the sink from the kamelet's route; the meters name the route that used the kamelet
        assertEquals(List.of("relay"), taggedRouteIds(MeterNames.SINK_WRITTEN));
        assertEquals(4, count(MeterNames.SINK_WRITTEN, "relay", "file-sink"));
    }

    @Test
    void theReplayRouteIsCountedUnderItsOwnIdThroughTheSourceAndSinkKamelets() throws Exception {
        Path replay = Files.createDirectories(dir.resolve("replay"));
        Files.writeString(replay.resolve("ingest-2025-01-31.jsonl"), String.join("\n",
                DeadLetterRecord.toJson(message(1), "sink-http:ingest", 6, 503, null, Instant.now()),
                DeadLetterRecord.toJson(message(2), "sink-http:ingest", 6, 503, null, Instant.now())) + "\n");
        server = HttpTestServer.onFreePort().start();
        context = camel().property("url", server.url("/ingest")).start("""
                - route:
                    id: replay-dead-letters
                    from:
                      uri: "kamelet:ws-dead-letter-source?directory={{dir}}/replay"
                      steps:
                        - to: "kamelet:ws-http-sink?url={{url}}&name=replayed&deadLetterDirectory={{dir}}/dl"
                """);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.find(MeterNames.SINK_WRITTEN).counters().stream().mapToDouble(c -> c.count())
                        .sum() == 2);
        assertEquals(List.of("replay-dead-letters"), taggedRouteIds(MeterNames.SINK_WRITTEN));
        assertEquals(2, count(MeterNames.SINK_WRITTEN, "replay-dead-letters", "replayed"));
    }

    @Test
    void aFileSinkThatCannotWriteCountsRetriesWhileItHoldsThenTheDeadLetterAtTheStop() throws Exception {
        // a folder where the file should be: every open fails
        Files.createDirectories(dir.resolve("feed.jsonl"));
        context = camel().configure(c -> c.getShutdownStrategy().setTimeout(3))
                .start("""
                        - route:
                            id: relay
                            from:
                              uri: direct:in
                              steps:
                                - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&initialDelay=20ms&maxDelay=50ms"
                        """);
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            sender.submit(() -> sendAsFeed("quotes", messages(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(MeterNames.SINK_RETRIES)
                    .tag(MeterNames.ROUTE_ID, "quotes").counter() != null
                    && count(MeterNames.SINK_RETRIES, "quotes", "file-sink") >= 2);
            context.stop();
        } finally {
            sender.shutdownNow();
        }

        assertEquals(1, SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").size());
        assertEquals(1, count(MeterNames.SINK_DEAD_LETTERED, "quotes", "file-sink"));
        assertEquals(0, count(MeterNames.SINK_WRITTEN, "quotes", "file-sink"));
        assertEquals(0, latencyCount("quotes", "file-sink"));
        assertEquals(List.of("quotes"), registry.find(MeterNames.SINK_DEAD_LETTERED).meters().stream()
                .map(Meter::getId).map(id -> id.getTag(MeterNames.ROUTE_ID)).toList());
    }
}
