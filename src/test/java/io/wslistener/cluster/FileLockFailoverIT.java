package io.wslistener.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.wslistener.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/cluster} as shipped (the file-lock cluster service), three application JVMs sharing a lock
 * directory, failing over one feed: see {@link FailoverScenario}.
 */
class FileLockFailoverIT {

    /** The example's acquireLockInterval and heartbeatTimeoutMultiplier. */
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int MULTIPLIER = 3;
    /** Generous room for a route to start and connect on a busy machine. */
    private static final Duration ROUTE_START = Duration.ofSeconds(10);

    private static TestWebSocketServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = ClusterTestFiles.seqFeed();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void oneInstanceConsumesAndAStandbyTakesOverAfterAKillAndAfterAGracefulStop() throws Exception {
        Path locks = dir.resolve("locks");
        FailoverScenario.InstanceSetup setup = new FailoverScenario.InstanceSetup() {

            @Override
            public Path properties(String name, Path dataDir) throws IOException {
                return ClusterTestFiles.properties(dir,
                        "feed.uri = ws-listener:127.0.0.1:" + server.port() + "/clustered",
                        "feed.dataDir = " + dataDir,
                        "feed.cluster.root = " + locks);
            }

            @Override
            public String[] args() {
                return new String[]{ "--routes", "examples/cluster" };
            }
        };
        FailoverScenario.Timings timings = new FailoverScenario(dir, server, "/clustered", setup).run(
                INTERVAL.multipliedBy(3),
                INTERVAL.multipliedBy(MULTIPLIER + 1).plus(ROUTE_START),
                INTERVAL.plus(ROUTE_START));
        System.out.printf("file lock failover: %d ms after SIGKILL, %d ms after SIGTERM%n",
                timings.afterKill().toMillis(), timings.afterGracefulStop().toMillis());
    }
}
