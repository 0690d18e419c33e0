package io.wslistener.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.wslistener.testsupport.FeedFiles;
import org.apache.camel.main.Main;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped application.properties and routes/*.yaml, started the way the README runs them (camel-main from the
 * project root), against the embedded demo feed.
 */
class ShippedApplicationTest {

    @TempDir
    Path dataDir;

    @Test
    void demoFeedIsWrittenToTheFileSinkInOrderWithNoneMissing() throws Exception {
        Main main = WsListenerApplication.createMain(new String[0]);
        main.addOverrideProperty("wslistener.demo.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.addOverrideProperty("wslistener.demo.rate", "200");
        main.addOverrideProperty("feed.dataDir", dataDir.toString());
        main.addOverrideProperty("camel.management.port", Integer.toString(AvailablePortFinder.getNextAvailable()));
        main.start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> FeedFiles.sequences(dataDir).size() >= 100);
        } finally {
            main.stop();
        }

        List<String> lines = FeedFiles.lines(dataDir);
        assertEquals(1, lines.stream().filter(line -> line.contains("\"event\":\"subscribed\"")).count(),
                "the subscribe open message was sent once and acknowledged");
        List<Long> sequences = FeedFiles.sequences(dataDir);
        assertTrue(sequences.size() >= 100, "at least 100 quotes, got " + sequences.size());
        assertEquals(-1, FeedFiles.firstGap(sequences), "position of the first missing or reordered message");
    }
}
