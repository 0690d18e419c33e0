package io.wslistener.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.TestWebSocketServer;
import io.wslistener.testsupport.YamlCamel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error the route does not handle (StackOverflowError, OutOfMemoryError) thrown for a batch of messages (one
 * exchange, its body a List): every message of the batch counts as a failure and is kept in the undelivered file, in
 * order, and the feed goes on. (Before, the batch counted as one failure and its messages were accounted nowhere.)
 */
class BatchErrorTest {

    private static final int BATCH = 10;

    private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.forFeed(policy);
    private final TestWebSocketServer server = new TestWebSocketServer(yamlCamel.serverVertx());
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopServer() {
        release.countDown();
        server.close();
    }

    @Test
    void everyMessageOfABatchAnErrorCutOffIsCountedAndKept() throws Exception {
        policy.setMaxBatchSize(BATCH);
        server.start();
        yamlCamel.startFeed(server.port(), exchange -> {
            List<String> batch = exchange.getMessage().getBody(List.class);
            if (batch.contains("m1")) {
                // held, so that the next ten wait together and come as one batch
                holding.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } else if (batch.contains("m2")) {
                throw new StackOverflowError("simulated in the route");
            }
            written.addAll(batch);
        });
        yamlCamel.awaitFeedOpen();
        server.sendTexts(1, i -> "m1").get(5, TimeUnit.SECONDS);
        assertTrue(holding.await(5, TimeUnit.SECONDS));
        server.sendTexts(BATCH, i -> "m" + (i + 1)).get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer(YamlCamel.FEED).getInFlight() == BATCH + 1);
        release.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> yamlCamel.consumer(YamlCamel.FEED).getInFlight() == 0);
        server.sendTexts(1, i -> "after").get(5, TimeUnit.SECONDS);

        await().atMost(5, TimeUnit.SECONDS).until(() -> written.contains("after"));
        List<String> batch = IntStream.rangeClosed(2, BATCH + 1).mapToObj(i -> "m" + i).toList();
        assertEquals(List.of("m1", "after"), List.copyOf(written), "the feed went on after the Error");
        assertEquals(batch, yamlCamel.undelivered(), "every message of the batch kept for replay, in order");
        assertEquals(BATCH, yamlCamel.consumer(YamlCamel.FEED).getFeed().delivery().failures(),
                "each message of the batch counts as a failure");
        assertTrue(
                yamlCamel.consumer(YamlCamel.FEED).getFeed().delivery().lastFailure().contains("StackOverflowError"));
    }
}
