package io.wslistener.sink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One ws-listener route, two sinks: the file sink goes on while the HTTP sink retries, up to the HTTP sink's buffer;
 * then the route (and the socket) wait, and once HTTP is back both have everything, in order.
 */
class FanOutTest {

    private static final int MESSAGES = 2000;
    private static final int HTTP_BUFFER = 50;

    @TempDir
    Path dir;

    private static String message(int n) {
        return "{\"n\":" + n + "}";
    }

    @Test
    void theFileSinkGoesOnWhileHttpIsDownAndNothingIsLostOnceItIsBack() throws Exception {
        List<String> all = IntStream.rangeClosed(1, MESSAGES).mapToObj(FanOutTest::message).toList();
        try (TestWebSocketServer feed = new TestWebSocketServer().autoSendOnConnect(MESSAGES, FanOutTest::message)
                .start();
                HttpTestServer http = HttpTestServer.onFreePort()) {
            CamelContext context = YamlCamel.create().property("dir", dir)
                    .property("feed.uri", feed.listenerUri("/feed"))
                    .property("http.url", http.url("/ingest")).property("wslistener.maxInFlight", 20)
                    .start("""
                            - route:
                                from:
                                  uri: "{{feed.uri}}"
                                  steps:
                                    - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushInterval=100ms"
                                    - to: "kamelet:ws-http-sink?url={{http.url}}&bufferSize=%d&maxRetries=-1&initialDelay=50ms&maxDelay=200ms&connectTimeout=1s&deadLetterDirectory={{dir}}/dead-letter"
                            """
                            .formatted(HTTP_BUFFER));
            try {
                Path file = dir.resolve("feed.jsonl");
                // the file runs ahead of HTTP by the HTTP sink's buffer (+1 being retried, +1 waiting to get in) ...
                await().atMost(Duration.ofSeconds(10)).until(() -> SinkFiles.lines(file).size() >= HTTP_BUFFER);
                // ... and no further: the route waits, the consumer pauses the socket at maxInFlight
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                        .until(() -> SinkFiles.lines(file).size() <= HTTP_BUFFER + 2);

                http.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> http.requests().size() >= MESSAGES);
                await().atMost(Duration.ofSeconds(5)).until(() -> SinkFiles.lines(file).size() == MESSAGES);
                assertEquals(all, http.receivedBodies());
                assertEquals(all, SinkFiles.lines(file));
                assertEquals(List.of(), SinkFiles.files(dir.resolve("dead-letter"), ".jsonl"));
            } finally {
                context.stop();
            }
        }
    }
}
