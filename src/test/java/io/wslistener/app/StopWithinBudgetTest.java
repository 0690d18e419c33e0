package io.wslistener.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopWithinBudgetTest {

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
    void sigtermBehindAStalledHttpSinkExitsWithinTheBudget() throws Exception {
        feed.start();
        ingest.start().onRequest(n -> {
            posted.countDown();
            try {
                answer.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("held.yaml"), """
                - route:
                    id: held-feed
                    from:
                      uri: "ws-listener:127.0.0.1:%d/feed"
                      steps:
                        - to: "kamelet:ws-http-sink?url=%s&name=ingest&deadLetterDirectory=%s"
                """.formatted(feed.port(), ingest.url("/ingest"), dir.resolve("dead-letter")));
        Path properties = dir.resolve("application.properties");
        Files.writeString(properties, Files.readString(Path.of("application.properties")) + "\n"
                + "wslistener.demo.enabled = false\n"
                + "camel.management.port = " + FeedFiles.freePort() + "\n"
                + "camel.main.shutdownTimeout = " + SHUTDOWN_TIMEOUT + "\n"
                + "wslistener.undelivered.directory = " + dir.resolve("undelivered") + "\n");
        try (AppInstance app = AppInstance.start("stalled-http", dir, properties, "--routes", routes.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.openSockets() == 1);
            String body = "x".repeat(256 * 1024);
            feed.sendTexts(2_000, i -> body);
            await().atMost(Duration.ofSeconds(60)).until(() -> posted.getCount() == 0);
            Thread.sleep(3000);
            long start = System.nanoTime();
            long pid = ProcessHandle.current().children().reduce((a, b) -> b).get().pid();
            app.stopGracefully();
            app.awaitExit();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("EXIT after " + millis + " ms\n" + app.logText());
            assertTrue(millis < (SHUTDOWN_TIMEOUT + 1) * 1000L, millis + " ms\n" + app.logTail());
        }
    }
}
