package io.wslistener.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code examples/many-feeds/clustered}: a route template whose every feed has a leadership of its own, run by two
 * instances (two CamelContexts in this JVM, with the ZooKeeper cluster service of {@code examples/cluster/zookeeper}).
 * Every feed is consumed by exactly one instance; when one stops, the other takes over each of its feeds.
 */
class ClusteredTemplateTest {

    private static final int FEEDS = 10;

    private static TestWebSocketServer server;
    private static TestingServer zookeeper;

    @TempDir
    static Path zookeeperData;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        server = ClusterTestFiles.seqFeed();
        zookeeper = new TestingServer(new InstanceSpec(zookeeperData.toFile(), -1, -1, -1, true, -1, 500, -1), true);
    }

    @AfterAll
    static void stopServers() throws Exception {
        zookeeper.close();
        server.close();
    }

    @Test
    void everyFeedHasOneLeaderAndMovesWhenItsLeaderStops() throws Exception {
        Path routes = dir.resolve("feeds.yaml");
        Files.writeString(routes, ManyFeedsYaml.CLUSTERED.feeds(FEEDS, "127.0.0.1", server.port()));
        Main a = instance("a", routes);
        Main b = instance("b", routes);
        a.start();
        try {
            b.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> server.connectedPaths() == FEEDS);
                await("each feed started on one instance only").atMost(Duration.ofSeconds(10))
                        .until(() -> IntStream.rangeClosed(1, FEEDS)
                                .allMatch(i -> started(a, i) != started(b, i)));
            } finally {
                a.stop();
            }
            await("b took over every feed").atMost(Duration.ofSeconds(30))
                    .until(() -> IntStream.rangeClosed(1, FEEDS).allMatch(i -> started(b, i)));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectedPaths() == FEEDS);
            for (int i = 1; i <= FEEDS; i++) {
                assertEquals(1, server.counts(ManyFeedsYaml.path(i)).open(), "sockets open now for feed " + i);
            }
            assertEquals(1, server.maxOpenOnAnyPath(), "most sockets ever open at once for one feed");
        } finally {
            b.stop();
        }
    }

    private Main instance(String name, Path routes) throws Exception {
        Path properties = ClusterTestFiles.properties(dir,
                "camel.main.routesIncludePattern = file:" + routes
                        + ",file:examples/cluster/zookeeper/cluster-service.yaml",
                "feeds.dataDir = " + dir.resolve("data-" + name),
                "feed.cluster.memberId = " + name,
                "feed.cluster.zookeeper.nodes = " + zookeeper.getConnectString(),
                "feed.cluster.zookeeper.sessionTimeoutMillis = 3000",
                "feed.cluster.zookeeper.connectTimeoutMillis = 3000");
        return WsListenerApplication.createMain(new String[]{ "--properties", properties.toString() });
    }

    private static boolean started(Main main, int feed) {
        CamelContext context = main.getCamelContext();
        return context != null
                && context.getRouteController().getRouteStatus(ManyFeedsYaml.feedId(feed)) == ServiceStatus.Started;
    }
}
