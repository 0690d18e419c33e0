package io.wslistener.sink.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application in a JVM of its own with a 256 MB heap, a feed of 1 MB messages, and an HTTP sink whose server takes
 * each request and never answers: the sink holds its 16 MB byte budget, the route waits, the consumer pauses the
 * socket, and there is no OutOfMemoryError. The consumer's hand-off is kept small here ({@code maxInFlight} 8), so that
 * only the sink's budget is on trial: without it the sink would take bufferSize (1000) of them, 1 GB.
 */
class HttpSinkHeapIT {

    private static final int MESSAGE_CHARS = 1_000_000;
    private static final int OFFERED = 400; // 400 MB: more than the child's heap

    @TempDir
    Path dir;
    private final CountDownLatch answer = new CountDownLatch(1);
    private final TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(4 << 20);
    private final HttpTestServer ingest = new HttpTestServer();

    @AfterEach
    void stop() {
        answer.countDown();
        feed.close();
        ingest.close();
    }

    @Test
    void megabyteMessagesToAServerThatNeverAnswersFitA256MbHeapAndPauseTheSocket() throws Exception {
        feed.start();
        ingest.start().onRequest(n -> {
            try {
                answer.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // to see this fail as before the byte budget: -DhttpSinkHeapTest.maxBufferBytes=2GB
        String budget = System.getProperty("httpSinkHeapTest.maxBufferBytes", "16MB");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("held.yaml"),
                """
                        - route:
                            id: held-feed
                            from:
                              uri: "ws-listener:127.0.0.1:%d/feed"
                              steps:
                                - to: "kamelet:ws-http-sink?url=%s&name=ingest&responseTimeout=120s&maxBufferBytes=%s&deadLetterDirectory=%s"
                        """
                        .formatted(feed.port(), ingest.url("/ingest"), budget, dir.resolve("dead-letter")));
        Path properties = AppInstance.shippedProperties(dir,
                "camel.management.port = " + AvailablePortFinder.getNextAvailable(), "wslistener.pingInterval = 0s",
                "wslistener.maxInFlight = 8");
        try (AppInstance app = AppInstance.start("held-http", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.openSockets() == 1 || !alive(app));
            assertTrue(alive(app), app.logTail());
            String body = "x".repeat(MESSAGE_CHARS);
            feed.sendTexts(OFFERED, i -> body);

            // held back: once the sink's budget and the small hand-off are full, nothing more is taken in
            long[] last = { -1, System.nanoTime() };
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long sent = feed.lastConnection().messagesSent();
                if (sent != last[0]) {
                    last[0] = sent;
                    last[1] = System.nanoTime();
                }
                return !alive(app) || sent > 0 && System.nanoTime() - last[1] > TimeUnit.SECONDS.toNanos(3);
            });
            String output = app.logText();
            assertFalse(output.contains("OutOfMemoryError"), app.logTail());
            assertTrue(alive(app), app.logTail());
            long held = feed.lastConnection().messagesSent();
            assertTrue(held < 100, held + " of " + OFFERED + " MB messages taken in\n" + app.logTail());
            assertTrue(feed.lastConnection().isOpen(), "paused, not dropped");
            assertTrue(ingest.requests().isEmpty(), "the server never answered");
        }
    }

    /** False once the child ran out of memory (it may then live on, half dead, so the log is what tells). */
    private static boolean alive(AppInstance app) {
        return !app.logText().contains("OutOfMemoryError");
    }

}
