package io.wslistener.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.PathCounts;
import io.wslistener.testsupport.TestWebSocketServer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Active/passive failover of one clustered feed, judged by the feed server: two instances start and only one
 * connects; the leader is killed (SIGKILL) and the standby connects; a third instance starts as the new standby; the
 * new leader is stopped gracefully (SIGTERM) and the third one connects. The server never sees two sockets for the
 * feed at once, and every instance wrote what it received without a gap.
 */
final class FailoverScenario {

    /** Settings of one instance: its application.properties and the rest of its command line. */
    interface InstanceSetup {

        Path properties(String name, Path dataDir) throws IOException;

        String[] args();
    }

    /** How long it took, from the kill or the stop signal, until the server accepted the next leader's socket. */
    record Timings(Duration afterKill, Duration afterGracefulStop) {
    }

    private final Path dir;
    private final TestWebSocketServer server;
    private final String path;
    private final InstanceSetup setup;
    private final List<AppInstance> instances = new ArrayList<>();

    FailoverScenario(Path dir, TestWebSocketServer server, String path, InstanceSetup setup) {
        this.dir = dir;
        this.server = server;
        this.path = path;
        this.setup = setup;
    }

    /**
     * @param watchStandby how long a standby is watched to stay passive
     * @param killBound    the configured bound on a takeover after a kill, plus start-up of the route
     * @param stopBound    the same after a graceful stop (drain and close included)
     */
    Timings run(Duration watchStandby, Duration killBound, Duration stopBound) throws Exception {
        PathCounts feed = server.counts(path);
        try {
            AppInstance a = start("a");
            AppInstance b = start("b");
            await("both started, one connected").atMost(Duration.ofSeconds(60))
                    .until(() -> a.started() && b.started() && feed.open() == 1);
            await("the standby stays passive").during(watchStandby).atMost(watchStandby.plusSeconds(10))
                    .until(() -> feed.accepted() == 1 && feed.open() == 1);
            await("the leader writes").atMost(Duration.ofSeconds(10)).until(() -> lines(a) + lines(b) >= 3);
            AppInstance leader = lines(a) > 0 ? a : b;
            AppInstance standby = leader == a ? b : a;
            assertEquals(0, lines(standby), "lines written by the standby " + standby.name());

            leader.kill();
            long killedAt = System.nanoTime();
            await("the standby connects after the kill").atMost(killBound)
                    .until(() -> feed.accepted() == 2 && feed.open() == 1);
            Duration afterKill = Duration.ofNanos(feed.lastAcceptedNanos() - killedAt);
            await("the new leader writes").atMost(Duration.ofSeconds(10)).until(() -> lines(standby) >= 3);

            AppInstance c = start("c");
            await("c started").atMost(Duration.ofSeconds(60)).until(c::started);
            await("c stays passive").during(watchStandby).atMost(watchStandby.plusSeconds(10))
                    .until(() -> feed.accepted() == 2 && feed.open() == 1);

            standby.stopGracefully();
            long stoppedAt = System.nanoTime();
            await("c connects after the graceful stop").atMost(stopBound)
                    .until(() -> feed.accepted() == 3 && feed.open() == 1);
            Duration afterGracefulStop = Duration.ofNanos(feed.lastAcceptedNanos() - stoppedAt);
            standby.awaitExit();
            await("c writes").atMost(Duration.ofSeconds(10)).until(() -> lines(c) >= 3);

            assertEquals(1, feed.maxOpen(), "most sockets open at once for the feed");
            assertTrue(standby.logText().contains("connection #1 closed (code 1000"),
                    "the gracefully stopped leader closed its socket with 1000 itself");
            for (AppInstance instance : List.of(a, b, c)) {
                assertEquals(-1, ClusterTestFiles.firstGap(ClusterTestFiles.sequencesIn(dataDir(instance.name()))),
                        "first gap in what " + instance.name() + " wrote");
            }
            return new Timings(afterKill, afterGracefulStop);
        } catch (Throwable failure) {
            StringBuilder logs = new StringBuilder("server: " + path + " open=" + feed.open() + " max=" + feed.maxOpen()
                    + " accepted=" + feed.accepted());
            instances.forEach(i -> logs.append('\n').append(i.logTail()));
            failure.addSuppressed(new AssertionError(logs.toString()));
            throw failure;
        } finally {
            for (AppInstance instance : instances) {
                instance.close();
            }
        }
    }

    private AppInstance start(String name) throws IOException {
        Path properties = setup.properties(name, dataDir(name));
        AppInstance instance = AppInstance.start(name, dir, properties, setup.args());
        instances.add(instance);
        return instance;
    }

    private Path dataDir(String name) {
        return dir.resolve("data-" + name);
    }

    private int lines(AppInstance instance) {
        return ClusterTestFiles.sequencesIn(dataDir(instance.name())).size();
    }
}
