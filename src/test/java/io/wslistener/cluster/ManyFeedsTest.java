package io.wslistener.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The route template of {@code examples/many-feeds} with 200 parameter sets in one YAML file: 200 routes, each
 * connected with its own socket, each writing its own feed in order.
 */
class ManyFeedsTest {

    private static final int FEEDS = 200;

    private static TestWebSocketServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = ClusterTestFiles.seqFeed();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void everyParameterSetIsAConnectedFeedOfItsOwn() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("feeds.yaml"), ManyFeedsYaml.PLAIN.feeds(FEEDS, "127.0.0.1", server.port()));
        Path data = dir.resolve("data");
        Path properties = ClusterTestFiles.properties(dir, "feeds.dataDir = " + data);

        Main main = WsListenerApplication.createMain(
                new String[]{ "--properties", properties.toString(), "--routes", routes.toString() });
        main.start();
        try {
            await().atMost(Duration.ofSeconds(40)).until(() -> server.connectedPaths() == FEEDS);
            // every feed has written a few messages of its own
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> feedsWithAtLeast(data, 3) == FEEDS);

            assertEquals(FEEDS, main.getCamelContext().getRoutes().size(), "routes made from the template");
            assertEquals(FEEDS, server.openSockets(), "sockets open on the server");
            assertEquals(1, server.maxOpenOnAnyPath(), "never two sockets for one feed");
            for (int i = 1; i <= FEEDS; i++) {
                assertEquals(1, server.counts(ManyFeedsYaml.path(i)).accepted(), "connections made by feed " + i);
                List<Long> seqs = ClusterTestFiles.sequences(data.resolve(ManyFeedsYaml.feedId(i) + ".jsonl"));
                assertEquals(-1, ClusterTestFiles.firstGap(seqs), "first gap in " + ManyFeedsYaml.feedId(i));
            }
        } finally {
            main.stop();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 0);
    }

    private static long feedsWithAtLeast(Path data, int lines) {
        long count = 0;
        for (int i = 1; i <= FEEDS; i++) {
            if (ClusterTestFiles.sequences(data.resolve(ManyFeedsYaml.feedId(i) + ".jsonl")).size() >= lines) {
                count++;
            }
        }
        return count;
    }
}
