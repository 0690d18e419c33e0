package io.wslistener.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.wslistener.metrics.ManagementClient;
import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.FeedFiles;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's stop: SIGTERM to the shipped jar ({@code -Xmx256m}, the shipped properties) while its HTTP sink posts to a
 * server that takes the request and never answers, 256 KiB messages filling the sink's buffer and the feed's hand-off.
 * The process exits within shutdownTimeout + 1 s, and what it held is in the sink's dead letter or the undelivered
 * file, none missing in between. (Before, the post in progress held the stop until Camel forced it, the delivery thread
 * was waited for a second more, and the exit came 2.7 s past shutdownTimeout.)
 */
class StopWithinBudgetIT {

    private static final int SHUTDOWN_TIMEOUT = 8;

    @TempDir
    Path dir;
    private final CountDownLatch answer = new CountDownLatch(1);
    private final CountDownLatch posted = new CountDownLatch(1);
    private final TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(4 << 20);
    private final HttpTestServer ingest = new HttpTestServer();

    @AfterEach
    void stop() {
        answer.countDown();
        feed.close();
        ingest.close();
    }

    @Test
    void sigtermBehindAStalledHttpSinkExitsWithinTheBudgetWithWhatItHeldKept() throws Exception {
        feed.start();
        ingest.start().onRequest(n -> {
            posted.countDown();
            try {
                answer.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Path deadLetter = dir.resolve("dead-letter");
        Path undelivered = dir.resolve("undelivered");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("held.yaml"), """
                - route:
                    id: held-feed
                    from:
                      uri: "ws-listener:127.0.0.1:%d/feed"
                      steps:
                        - to: "kamelet:ws-http-sink?url=%s&name=ingest&deadLetterDirectory=%s"
                """.formatted(feed.port(), ingest.url("/ingest"), deadLetter));
        int managementPort = AvailablePortFinder.getNextAvailable();
        Path properties = AppInstance.shippedProperties(dir, "wslistener.summary.interval = 0",
                "camel.management.port = " + managementPort, "camel.main.shutdownTimeout = " + SHUTDOWN_TIMEOUT,
                "wslistener.undelivered.directory = " + undelivered);
        try (AppInstance app = AppInstance.start("stalled-http", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.openSockets() == 1);
            String pad = "x".repeat(256 * 1024);
            feed.sendTexts(2_000, i -> "{\"seq\":" + i + ",\"pad\":\"" + pad + "\"}");
            assertTrue(posted.await(60, TimeUnit.SECONDS), "the sink posted");
            // the sink's buffer (16 MB) is full and the hand-off holds up to its 32 MiB: the route waits on the sink
            ManagementClient management = new ManagementClient(managementPort);
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> management.value("wslistener_messages_inflight", "routeId=\"held-feed\"") >= 100);
            long held = (long) management.value("wslistener_messages_inflight", "routeId=\"held-feed\"");

            long start = System.nanoTime();
            app.stopGracefully();
            app.awaitExit();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            List<Long> kept = new ArrayList<>(FeedFiles.deadLetteredSequences(deadLetter));
            kept.addAll(FeedFiles.deadLetteredSequences(undelivered));
            TreeSet<Long> distinct = new TreeSet<>(kept);
            String context = "exit after " + millis + " ms; " + held + " held at the signal; " + distinct.size()
                    + " kept\n" + app.logTail();
            System.out.println("stalled HTTP sink, shutdownTimeout " + SHUTDOWN_TIMEOUT + " s: " + context);
            assertTrue(millis < (SHUTDOWN_TIMEOUT + 1) * 1000L, context);
            assertTrue(distinct.size() >= held, "what it held is kept: " + context);
            assertEquals(LongStream.rangeClosed(1, distinct.size()).boxed().toList(), List.copyOf(distinct),
                    "from the first message on, none missing in between: " + context);
        }
    }
}
