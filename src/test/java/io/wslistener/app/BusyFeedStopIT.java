package io.wslistener.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.FeedFiles;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM to the shipped jar (a JVM of its own, the shipped properties) while a busy feed has tens of thousands of
 * messages in flight and its route takes about 2,000 a second (200 per 100 ms): the server records the last message it sent before it
 * saw the close frame, and every message up to that one is afterwards in the sink's file or in the undelivered file,
 * once and in order, and the process exits within shutdownTimeout + 1 s. Before, a fixed 2 s wait for the close reply
 * reset the socket and lost what the route had not taken by then.
 */
class BusyFeedStopIT {

    private static final int IN_FLIGHT = 30_000;

    @TempDir
    Path dir;
    private final TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(1 << 20);

    @AfterEach
    void stopServer() {
        feed.close();
    }

    /** The shipped budget (25 s): the route takes what it can, the close reply is read, the rest is kept. */
    @Test
    void aStopWithThirtyThousandInFlightKeepsEveryMessageTheServerSentBeforeTheCloseFrame() throws Exception {
        Stopped stopped = sigtermWithBusyFeed(25);

        assertTrue(stopped.log().contains("the server answered the close frame"), stopped.log());
        assertFalse(stopped.log().contains("Timeout occurred during graceful shutdown"),
                "the stop ended within the budget: Camel never had to force it\n" + stopped.log());
        assertTrue(stopped.sink().size() > 0, "the route went on taking messages during the stop");
    }

    /** A budget too short for the sink: the undelivered file takes the rest. */
    @Test
    void aBudgetTooShortForTheSinkLeavesTheRestInTheUndeliveredFile() throws Exception {
        Stopped stopped = sigtermWithBusyFeed(5);

        assertTrue(stopped.undelivered().size() > IN_FLIGHT / 2,
                stopped.undelivered().size() + " in the undelivered file");
    }

    private record Stopped(List<Long> sink, List<Long> undelivered, String log) {
    }

    private Stopped sigtermWithBusyFeed(int shutdownTimeoutSeconds) throws Exception {
        Path data = dir.resolve("data");
        Path undelivered = dir.resolve("undelivered");
        feed.autoSendOnConnect(Integer.MAX_VALUE, i -> "{\"seq\":" + i + ",\"pad\":\"" + "x".repeat(80) + "\"}")
                .start();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("busy.yaml"), """
                - route:
                    id: busy-feed
                    from:
                      uri: "ws-listener:127.0.0.1:%d/feed"
                      steps:
                        - throttle:
                            expression:
                              constant: 200
                            timePeriodMillis: 100
                        - to: "kamelet:ws-file-sink?directory=%s&fileName=feed.jsonl"
                """.formatted(feed.port(), data));
        Path properties = AppInstance.shippedProperties(dir, "wslistener.summary.interval = 0",
                "camel.management.port = " + AvailablePortFinder.getNextAvailable(),
                "camel.main.shutdownTimeout = " + shutdownTimeoutSeconds,
                "wslistener.undelivered.directory = " + undelivered);
        try (AppInstance app = AppInstance.start("busy-feed", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.openSockets() == 1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> feed.lastConnection().messagesSent() - FeedFiles.lines(data).size() >= IN_FLIGHT);

            long start = System.nanoTime();
            app.stopGracefully();
            app.awaitExit();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            long last = feed.lastConnection().sentBeforeCloseFrame();
            List<Long> sink = FeedFiles.sequences(data);
            List<Long> kept = FeedFiles.deadLetteredSequences(undelivered);
            List<Long> all = new ArrayList<>(sink);
            all.addAll(kept);
            String context = "exit after " + millis + " ms; the server sent " + last + " before the close frame; "
                    + sink.size() + " in the sink, " + kept.size() + " in the undelivered file\n" + app.logTail();
            System.out.println("busy feed stop, shutdownTimeout " + shutdownTimeoutSeconds + " s: " + context);
            assertTrue(last >= IN_FLIGHT, context);
            assertEquals(-1, FeedFiles.firstGap(all), "every message up to the last one, once, in order\n" + context);
            assertEquals(last, all.size(), "none missing, none beyond the close frame\n" + context);
            assertTrue(millis < (shutdownTimeoutSeconds + 1) * 1000L, context);
            return new Stopped(sink, kept, app.logText());
        }
    }
}
