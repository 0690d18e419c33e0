package io.wslistener.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
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

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wslistener.metrics.ManagementClient;
import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.PathCounts;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
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
 * {@code examples/many-feeds/clustered} with 300 feeds and the ZooKeeper cluster service of
 * {@code examples/cluster/zookeeper}, in application JVMs of their own against an in-process ZooKeeper and one feed
 * server. Three instances share the feeds within the bound; one is killed (SIGKILL) and its feeds connect on the
 * others within 5 s of ZooKeeper dropping it; a fourth joins and takes its share; one is stopped (SIGTERM) and its
 * feeds move after it closed each socket with 1000. What each instance leads is read from its dev console, checked
 * against its health check and its meters. The feed server never had two sockets for one feed, and what every
 * instance wrote of a feed has no gap within a connection.
 */
class SpreadFailoverIT {

    private static final int FEEDS = 300;
    /**
     * A tick of 500 ms lets ZooKeeper grant a short session, which notices a kill quickly; not shorter, or a JVM that a
     * busy machine keeps from answering ZooKeeper's heartbeats for a few seconds loses its session.
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration MOVE_BOUND = Duration.ofSeconds(5);
    private static final Duration SETTLE = Duration.ofSeconds(300);

    private static TestWebSocketServer server;
    private static TestingServer zookeeper;
    private static CuratorFramework observer;

    @TempDir
    static Path zookeeperData;

    @TempDir
    Path dir;

    private final Map<String, Instance> instances = new LinkedHashMap<>();

    private record Instance(AppInstance app, ManagementClient management) {
    }

    @BeforeAll
    static void startServers() throws Exception {
        server = ClusterTestFiles.seqFeed(Duration.ofSeconds(1));
        zookeeper = ClusterTestFiles.zookeeper(zookeeperData);
        observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
        observer.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        observer.close();
        zookeeper.close();
        server.close();
    }

    @AfterEach
    void stopInstances() throws InterruptedException {
        for (Instance instance : instances.values()) {
            instance.app().close();
        }
    }

    @Test
    void theFeedsSpreadAndMoveOnKillJoinAndStopWithNeverTwoSocketsForAFeed() throws Exception {
        Path routes = dir.resolve("feeds.yaml");
        Files.writeString(routes, ManyFeedsYaml.CLUSTERED.feeds(FEEDS, "127.0.0.1", server.port()));
        try {
            for (String name : List.of("a", "b", "c")) {
                start(name, routes);
            }
            awaitSpread("a", "b", "c");
            checkObservability("a");

            // SIGKILL: ZooKeeper drops the member when its session expires; its feeds connect elsewhere within 5 s
            List<String> killed = led("a");
            long killedAt = System.nanoTime();
            instances.get("a").app().kill();
            await("ZooKeeper drops a").atMost(SESSION_TIMEOUT.plusSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !ZooKeeperMembers.of(observer, ZooKeeperMembers.FEEDS).contains("a"));
            long noticedAt = System.nanoTime();
            await("a's feeds connected elsewhere").atMost(MOVE_BOUND.plusSeconds(10))
                    .until(() -> reconnected(killed, noticedAt));
            long moved = lastAccepted(killed) - noticedAt;
            System.out.printf("SIGKILL: %d feeds; ZooKeeper dropped the member %d ms after the kill, all its feeds"
                    + " connected elsewhere %d ms after that%n", killed.size(), (noticedAt - killedAt) / 1_000_000,
                    moved / 1_000_000);
            assertTrue(moved <= MOVE_BOUND.toNanos(), "a's feeds connected elsewhere " + moved / 1_000_000
                    + " ms after ZooKeeper dropped it");
            awaitSpread("b", "c");
            String takenOver = "taken over from instance a after its leadership ended";
            assertTrue(instances.get("b").app().logText().contains(takenOver)
                    || instances.get("c").app().logText().contains(takenOver), "b or c logged: " + takenOver);

            start("d", routes);
            awaitSpread("b", "c", "d");
            assertTrue(led("d").size() > 0, "d took a share");

            // SIGTERM: b drains and closes each socket with 1000 before its feeds connect elsewhere
            List<String> stopping = led("b");
            List<ServerConnection> open = openConnections(stopping);
            long stoppedAt = System.nanoTime();
            instances.get("b").app().stopGracefully();
            await("b's feeds connected elsewhere").atMost(SETTLE).until(() -> reconnected(stopping, stoppedAt));
            System.out.printf("SIGTERM: %d feeds connected elsewhere %d ms after the signal%n", stopping.size(),
                    (lastAccepted(stopping) - stoppedAt) / 1_000_000);
            instances.get("b").app().awaitExit();
            for (ServerConnection connection : open) {
                assertEquals(Short.valueOf((short) 1000), connection.closeStatusCode(),
                        "close code of b's socket on " + connection.path());
            }
            awaitSpread("c", "d");
        } catch (Throwable failure) {
            StringBuilder logs = new StringBuilder("server: open=" + server.openSockets() + " most on one path="
                    + server.maxOpenOnAnyPath());
            for (int i = 1; i <= FEEDS; i++) {
                if (server.counts(ManyFeedsYaml.path(i)).maxOpen() > 1) {
                    logs.append("\ntwo sockets at once: ").append(ManyFeedsYaml.feedId(i)).append(' ')
                            .append(server.counts(ManyFeedsYaml.path(i)));
                }
            }
            for (Map.Entry<String, Instance> instance : instances.entrySet()) {
                Files.writeString(Path.of("target", "spread-failover-" + instance.getKey() + ".log"),
                        instance.getValue().app().logText());
            }
            instances.values().forEach(i -> logs.append('\n').append(i.app().logTail()));
            failure.addSuppressed(new AssertionError(logs.toString()));
            throw failure;
        }
        assertEquals(1, server.maxOpenOnAnyPath(), "most sockets ever open at once for one feed");
        stopInstances();
        for (int i = 1; i <= FEEDS; i++) {
            for (String name : List.of("a", "b", "c", "d")) {
                Path file = dir.resolve("data-" + name).resolve(ManyFeedsYaml.feedId(i) + ".jsonl");
                assertEquals(-1, ClusterTestFiles.firstGapPerConnection(ClusterTestFiles.sequences(file)),
                        "first gap in " + file);
            }
        }
    }

    /**
     * Waits until the instances named see each other as the members, lead only shards whose feeds they run, and every
     * feed has one socket; then checks that each leads no more than the bound.
     */
    private void awaitSpread(String... names) throws Exception {
        Set<String> members = new TreeSet<>(List.of(names));
        long start = System.nanoTime();
        await("the feeds spread over " + members).atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                .until(() -> settled(members));
        int bound = ShardAssignment.bound(ClusterTestFiles.shardSizes(FEEDS), members.size());
        Set<String> all = new HashSet<>();
        StringBuilder spread = new StringBuilder();
        for (String name : names) {
            JsonObject group = group(name);
            List<String> feeds = led(name);
            assertEquals(bound, group.getInteger("bound"), "the bound " + name + " shows");
            assertTrue(feeds.size() <= bound, name + " leads " + feeds.size() + " feeds, more than " + bound);
            all.addAll(feeds);
            spread.append(' ').append(name).append('=').append(feeds.size());
        }
        assertEquals(FEEDS, all.size(), "feeds led by " + members);
        System.out.printf("spread over %s after %d ms:%s (bound %d)%n", members,
                (System.nanoTime() - start) / 1_000_000, spread, bound);
    }

    private boolean settled(Set<String> members) throws Exception {
        assertTrue(server.maxOpenOnAnyPath() <= 1, "two sockets at once for a feed");
        int led = 0;
        for (String name : members) {
            JsonObject group = group(name);
            if (group == null || !new TreeSet<>(strings(group.getJsonArray("members"))).equals(members)) {
                return false;
            }
            for (Object shard : group.getJsonArray("joined")) {
                if (!((JsonObject) shard).getBoolean("led")) {
                    return false;
                }
            }
            led += group.getInteger("feedsLed");
        }
        return led == FEEDS && ClusterTestFiles.oneSocketEach(server, FEEDS);
    }

    /** The instance's health check and meters say what its dev console says. */
    private void checkObservability(String name) throws Exception {
        ManagementClient management = instances.get(name).management();
        JsonObject group = group(name);
        int feedsLed = group.getInteger("feedsLed");
        HttpResponse<String> health = management.get("/observe/health/ready?exposureLevel=full&data=true");
        JsonObject check = null;
        for (Object c : new JsonObject(health.body()).getJsonArray("checks", new JsonArray())) {
            if (((JsonObject) c).getString("name").equals("wslistener-cluster:feeds")) {
                check = (JsonObject) c;
            }
        }
        assertTrue(check != null, "no spread group check in " + health.body());
        assertEquals("UP", check.getString("status"), check.encode());
        JsonObject data = check.getJsonObject("data");
        assertEquals(String.valueOf(feedsLed), String.valueOf(data.getValue("feeds.led")), data.encode());
        assertEquals("3", String.valueOf(data.getValue("members")), data.encode());
        assertEquals(name, data.getString("member.id"), data.encode());
        List<String> shards = new ArrayList<>();
        for (Object shard : group.getJsonArray("joined")) {
            shards.add(String.valueOf(((JsonObject) shard).getInteger("shard")));
        }
        assertEquals(String.join(",", shards), data.getString("shards.led.list"), data.encode());
        String scrape = management.scrape();
        assertEquals(feedsLed, ManagementClient.sample(scrape, "wslistener_cluster_feeds_led", "namespace=\"feeds\"")
                .orElse(-1), 0, "feeds led in the meters");
        assertEquals(3, ManagementClient.sample(scrape, "wslistener_cluster_members", "namespace=\"feeds\"")
                .orElse(-1), 0, "members in the meters");
        assertEquals(shards.size(), (int) ManagementClient.sample(scrape, "wslistener_cluster_shards_led",
                "namespace=\"feeds\"").orElse(-1), "shards led in the meters");
        String text = management.get("/q/dev/" + SpreadDevConsole.ID, "text/plain").body();
        assertTrue(text.contains("Spread group feeds: member " + name + ", one of 3 (a, b, c)"), text);
    }

    /** The instance's spread group as its dev console shows it; null while it does not answer. */
    private JsonObject group(String name) throws Exception {
        HttpResponse<String> response;
        try {
            response = instances.get(name).management().get("/q/dev/" + SpreadDevConsole.ID, "application/json");
        } catch (IOException e) {
            return null;
        }
        if (response.statusCode() != 200) {
            return null;
        }
        JsonArray groups = new JsonObject(response.body()).getJsonObject(SpreadDevConsole.ID)
                .getJsonArray("groups", new JsonArray());
        return groups.isEmpty() ? null : groups.getJsonObject(0);
    }

    private List<String> led(String name) throws Exception {
        List<String> feeds = new ArrayList<>();
        for (Object shard : group(name).getJsonArray("joined")) {
            JsonObject s = (JsonObject) shard;
            if (s.getBoolean("led")) {
                feeds.addAll(strings(s.getJsonArray("feeds")));
            }
        }
        return feeds;
    }

    /** Every feed has a socket accepted after the moment given, and only one open. */
    private static boolean reconnected(List<String> feeds, long afterNanos) {
        for (String feed : feeds) {
            PathCounts counts = server.counts(path(feed));
            if (counts.open() != 1 || counts.lastAcceptedNanos() < afterNanos) {
                return false;
            }
        }
        return true;
    }

    private static long lastAccepted(List<String> feeds) {
        return feeds.stream().mapToLong(feed -> server.counts(path(feed)).lastAcceptedNanos()).max().orElseThrow();
    }

    private static List<ServerConnection> openConnections(List<String> feeds) {
        Set<String> paths = new HashSet<>();
        feeds.forEach(feed -> paths.add(path(feed)));
        return server.openConnections().stream().filter(c -> paths.contains(c.path())).toList();
    }

    private static String path(String feedId) {
        return ManyFeedsYaml.path(Integer.parseInt(feedId.substring(feedId.indexOf('-') + 1)));
    }

    private static List<String> strings(JsonArray array) {
        List<String> strings = new ArrayList<>();
        array.forEach(value -> strings.add(String.valueOf(value)));
        return strings;
    }

    private void start(String name, Path routes) throws IOException {
        int port = AvailablePortFinder.getNextAvailable();
        Path properties = ClusterTestFiles.properties(dir, ClusterTestFiles.zooKeeperInstance(routes,
                dir.resolve("data-" + name), name, zookeeper, SESSION_TIMEOUT),
                "camel.metrics.enabled = true",
                "camel.management.enabled = true",
                "camel.management.host = 127.0.0.1",
                "camel.management.port = " + port,
                "camel.management.metricsEnabled = true",
                "camel.management.healthCheckEnabled = true",
                "camel.main.devConsoleEnabled = true",
                "camel.management.devConsoleEnabled = true");
        instances.put(name, new Instance(AppInstance.start(name, dir, properties), new ManagementClient(port)));
    }
}
