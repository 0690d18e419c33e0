package io.wslistener.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/cluster} with the ZooKeeper cluster service of {@code examples/cluster/zookeeper}, against an
 * in-process ZooKeeper (Curator's TestingServer), three application JVMs failing over one feed: see
 * {@link FailoverScenario}.
 */
class ZooKeeperFailoverIT {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration ROUTE_START = Duration.ofSeconds(10);

    private static TestWebSocketServer server;
    private static TestingServer zookeeper;

    @TempDir
    static Path zookeeperData;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        server = ClusterTestFiles.seqFeed();
        zookeeper = ClusterTestFiles.zookeeper(zookeeperData);
    }

    @AfterAll
    static void stopServers() throws Exception {
        zookeeper.close();
        server.close();
    }

    @Test
    void oneInstanceConsumesAndAStandbyTakesOverAfterAKillAndAfterAGracefulStop() throws Exception {
        FailoverScenario.InstanceSetup setup = new FailoverScenario.InstanceSetup() {

            @Override
            public Path properties(String name, Path dataDir) throws IOException {
                return ClusterTestFiles.properties(dir,
                        "camel.main.routesIncludePattern = file:examples/cluster/feed.yaml,"
                                + "file:examples/cluster/zookeeper/cluster-service.yaml",
                        "feed.uri = ws-listener:127.0.0.1:" + server.port() + "/zookeeper",
                        "feed.dataDir = " + dataDir,
                        "feed.cluster.memberId = " + name,
                        "feed.cluster.zookeeper.nodes = " + zookeeper.getConnectString(),
                        "feed.cluster.zookeeper.sessionTimeoutMillis = " + SESSION_TIMEOUT.toMillis(),
                        "feed.cluster.zookeeper.connectTimeoutMillis = 3000");
            }

            @Override
            public String[] args() {
                return new String[0];
            }
        };
        FailoverScenario.Timings timings = new FailoverScenario(dir, server, "/zookeeper", setup).run(
                Duration.ofSeconds(2),
                SESSION_TIMEOUT.plus(ROUTE_START),
                ROUTE_START);
        System.out.printf("ZooKeeper failover: %d ms after SIGKILL, %d ms after SIGTERM%n",
                timings.afterKill().toMillis(), timings.afterGracefulStop().toMillis());
    }
}
