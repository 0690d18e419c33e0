package io.wslistener.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code examples/many-feeds/clustered} (a FeedSpreadPolicy) with the ZooKeeper cluster service of
 * {@code examples/cluster/zookeeper}, several instances as CamelContexts in this JVM, each its own ZooKeeper session,
 * through the transitions a group goes through: a second member joins, two join one right after the other, a member
 * comes and goes three times in a row, two leave, and the connection to ZooKeeper is lost and comes back. After each,
 * the feeds are spread within the bound, each feed runs on the one instance that leads its shard, and at no moment had
 * the feed server two sockets for one feed; every socket that closed was closed by its instance with 1000.
 */
class SpreadTransitionsTest {

    private static final int FEEDS = 40;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private static TestWebSocketServer server;
    private static TestingServer zookeeper;

    @TempDir
    static Path zookeeperData;

    @TempDir
    Path dir;

    private Path routes;
    private final Map<String, Main> instances = new LinkedHashMap<>();

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

    @AfterEach
    void stopInstances() {
        new ArrayList<>(instances.keySet()).forEach(this::stop);
    }

    @Test
    void theFeedsFollowTheMembersAndNeverRunTwice() throws Exception {
        routes = dir.resolve("feeds.yaml");
        Files.writeString(routes, ManyFeedsYaml.CLUSTERED.feeds(FEEDS, "127.0.0.1", server.port()));
        try (LogCapture log = new LogCapture("io.wslistener.cluster")) {
            start("a");
            awaitSpread("a");
            assertEquals(FEEDS, led("a").size(), "feeds a leads alone");

            start("b");
            awaitSpread("a", "b");
            assertTrue(log.contains("INFO", "released to instance b (rebalance)"), "a logged what it handed to b");
            assertTrue(log.contains("INFO", "handed over by instance a (rebalance)"), "b logged what it took from a");

            // two changes in a row: c and d start one right after the other
            start("c");
            start("d");
            awaitSpread("a", "b", "c", "d");

            // a member that comes and goes: e starts and stops three times in a row
            for (int i = 0; i < 3; i++) {
                start("e");
                stop("e");
            }
            awaitSpread("a", "b", "c", "d");

            stop("c");
            stop("d");
            awaitSpread("a", "b");

            // the connection to ZooKeeper lost: each leader stops its feeds before its session could expire
            long cutAt = System.nanoTime();
            zookeeper.stop();
            await("every feed stopped").atMost(SESSION_TIMEOUT).until(() -> server.openSockets() == 0);
            System.out.printf("ZooKeeper gone: every feed stopped after %d ms%n",
                    (System.nanoTime() - cutAt) / 1_000_000);
            assertTrue(log.contains("WARN", "leadership lost"), "the leaders logged the lost leadership");
            zookeeper.restart();
            awaitSpread("a", "b");
        } finally {
            System.out.println("server: " + server.openSockets() + " open, most on one path "
                    + server.maxOpenOnAnyPath());
        }
        assertEquals(1, server.maxOpenOnAnyPath(), "most sockets ever open at once for one feed");
        for (ServerConnection connection : server.connections()) {
            if (!connection.isOpen()) {
                assertEquals(Short.valueOf((short) 1000), connection.closeStatusCode(),
                        "close code of " + connection + " on " + connection.path());
            }
        }
        stopInstances();
        for (int i = 1; i <= FEEDS; i++) {
            for (String name : List.of("a", "b", "c", "d", "e")) {
                Path file = dir.resolve("data-" + name).resolve(ManyFeedsYaml.feedId(i) + ".jsonl");
                assertEquals(-1, ClusterTestFiles.firstGapPerConnection(ClusterTestFiles.sequences(file)),
                        "first gap in " + file);
            }
        }
    }

    /**
     * Waits until the members named are the group, each instance sees them all, leads only shards it runs the feeds
     * of, and every feed has one socket; then checks that the feeds are split between them within the bound.
     */
    private void awaitSpread(String... names) {
        Set<String> members = new TreeSet<>(List.of(names));
        try {
            await("the feeds spread over " + members).atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                    .until(() -> settled(members));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (String name : instances.keySet()) {
                e.addSuppressed(new AssertionError(name + ": " + status(name) + " participants " + participants(name)));
            }
            throw e;
        }
        int bound = ShardAssignment.bound(ClusterTestFiles.shardSizes(FEEDS), members.size());
        Set<String> all = new HashSet<>();
        for (String name : names) {
            List<String> feeds = led(name);
            assertTrue(feeds.size() <= bound, name + " leads " + feeds.size() + " feeds, more than " + bound);
            all.addAll(feeds);
            CamelContext context = instances.get(name).getCamelContext();
            for (int i = 1; i <= FEEDS; i++) {
                String feed = ManyFeedsYaml.feedId(i);
                boolean started = context.getRouteController().getRouteStatus(feed) == ServiceStatus.Started;
                assertEquals(feeds.contains(feed), started, "route " + feed + " started on " + name);
            }
        }
        assertEquals(FEEDS, all.size(), "feeds led by " + members);
    }

    private boolean settled(Set<String> members) {
        int led = 0;
        for (String name : members) {
            SpreadStatus status = status(name);
            if (!new TreeSet<>(status.members()).equals(members)
                    || status.shards().stream().anyMatch(shard -> !shard.led())) {
                return false;
            }
            led += status.feedsLed();
        }
        return led == FEEDS && ClusterTestFiles.oneSocketEach(server, FEEDS);
    }

    /** The participants the cluster service lists for each shard this instance is in the election of. */
    private Map<Integer, List<String>> participants(String name) {
        Map<Integer, List<String>> participants = new java.util.TreeMap<>();
        for (Shard shard : SpreadGroups.find(instances.get(name).getCamelContext()).groups().get(0).shards()) {
            if (shard.joined()) {
                participants.put(shard.id(), shard.view().getMembers().stream()
                        .map(member -> member.getId() + (member.isLeader() ? "*" : "")).toList());
            }
        }
        return participants;
    }

    private List<String> led(String name) {
        return status(name).led().stream().flatMap(shard -> shard.feedIds().stream()).toList();
    }

    private SpreadStatus status(String name) {
        return SpreadStatus.of(SpreadGroups.find(instances.get(name).getCamelContext()).groups().get(0));
    }

    private void start(String name) throws Exception {
        Path properties = ClusterTestFiles.properties(dir, ClusterTestFiles.zooKeeperInstance(routes,
                dir.resolve("data-" + name), name, zookeeper, SESSION_TIMEOUT));
        Main main = WsListenerApplication.createMain(new String[]{ "--properties", properties.toString() });
        instances.put(name, main);
        main.start();
    }

    private void stop(String name) {
        Main main = instances.remove(name);
        if (main != null) {
            main.stop();
        }
    }
}
