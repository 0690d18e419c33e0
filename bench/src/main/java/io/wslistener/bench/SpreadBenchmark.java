package io.wslistener.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wslistener.cluster.ManyFeedsYaml;
import io.wslistener.cluster.ZooKeeperMembers;
import io.wslistener.testsupport.ServerConnection;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

import static org.awaitility.Awaitility.await;

/**
 * Feeds spread over instances of the shipped jar ({@code java -jar target/ws-listener.jar}, the shipped properties
 * plus the cluster settings, {@code examples/many-feeds/clustered} with the ZooKeeper cluster service of
 * {@code examples/cluster/zookeeper}), against an in-process ZooKeeper and one local feed server that sends every
 * socket a message a second. Three instances start; once the feeds are spread, one is killed (SIGKILL), a fourth
 * joins, and one is stopped (SIGTERM). For each move it reports how long each moved feed was without a socket, as
 * min/median/max: after a kill from the moment ZooKeeper dropped the member (the session timeout after the kill),
 * after a join or a SIGTERM from the moment its old socket closed. It also reports each instance's live threads
 * (/proc) and the feeds it leads, read from the feed server's sockets per instance (each instance's log lists the
 * shards it takes and releases).
 * <p>
 * Usage: {@code SpreadBenchmark <feeds> <session timeout ms>}.
 */
public final class SpreadBenchmark {

    private final int feeds;
    private final Duration session;
    private final Path dir;
    private final TestWebSocketServer server;
    private final TestingServer zookeeper;
    private final CuratorFramework observer;
    private final Map<String, Process> instances = new LinkedHashMap<>();
    /** When each connection (by its number at the server) closed. */
    private final Map<Integer, Long> closedAt = new ConcurrentHashMap<>();

    private SpreadBenchmark(int feeds, Duration session) throws Exception {
        this.feeds = feeds;
        this.session = session;
        this.dir = Files.createTempDirectory("spread-bench");
        this.server = new TestWebSocketServer().sendEvery(Duration.ofSeconds(1), n -> "{\"seq\":" + n + "}").start();
        this.zookeeper = new TestingServer(
                new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, -1, 500, -1), true);
        this.observer = CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
        observer.start();
    }

    public static void main(String[] args) throws Exception {
        int feeds = Integer.parseInt(args[0]);
        Duration session = Duration.ofMillis(Long.parseLong(args[1]));
        SpreadBenchmark bench = new SpreadBenchmark(feeds, session);
        try {
            bench.run();
        } finally {
            bench.close();
        }
    }

    private void run() throws Exception {
        Path routes = dir.resolve("feeds.yaml");
        Files.writeString(routes, ManyFeedsYaml.CLUSTERED.feeds(feeds, "127.0.0.1", server.port()));
        System.out.printf("%n%d feeds, 64 shards, ZooKeeper session timeout %d ms, one message a second a feed%n%n",
                feeds, session.toMillis());
        System.out.println("| step | feeds moved | without a socket min / median / max (ms) | all moved after (ms) |");
        System.out.println("| --- | ---: | --- | ---: |");
        long start = System.nanoTime();
        for (String name : List.of("a", "b", "c")) {
            start(name, routes);
        }
        awaitAllOpen(Duration.ofMinutes(10));
        awaitQuiet();
        System.out.printf("| three instances start | %d | - | %.0f |%n", feeds, BenchSupport.ms(System.nanoTime() - start));
        String threadsAtThree = threads();

        // SIGKILL: from ZooKeeper dropping the member to each of its feeds' next socket
        Map<String, Integer> openBefore = openConnectionPerPath();
        Process victim = instances.remove("a");
        long killedAt = System.nanoTime();
        victim.destroyForcibly().waitFor();
        await().atMost(session.plusSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> !members().contains("a"));
        long noticedAt = System.nanoTime();
        awaitAllOpen(Duration.ofMinutes(5));
        List<Double> killGaps = new ArrayList<>();
        for (String path : movedPaths(openBefore)) {
            killGaps.add(BenchSupport.ms(server.counts(path).lastAcceptedNanos() - noticedAt));
        }
        System.out.printf("| SIGKILL of one (dropped by ZooKeeper %.0f ms after the kill) | %d | %s | %.0f |%n",
                BenchSupport.ms(noticedAt - killedAt), killGaps.size(), Stats.summary(killGaps, "%.0f"),
                Stats.max(killGaps));
        awaitQuiet();

        // a fourth joins: each moved feed's old socket closes (1000) before its new one opens
        report("a fourth joins", () -> start("d", routes), () -> members().contains("d"));
        String threadsAtJoin = threads();
        // SIGTERM of one
        Process stopping = instances.get("b");
        report("SIGTERM of one", () -> instances.remove("b").destroy(),
                () -> !stopping.isAlive() && !members().contains("b"));
        System.out.printf("%nLive threads per instance (/proc, JVM threads included), feeds led:%n%n");
        System.out.println("- three instances: " + threadsAtThree);
        System.out.println("- after the kill and the join: " + threadsAtJoin);
        System.out.println("- at the end: " + threads());
        System.out.printf("%nMost sockets ever open at once for one feed at the server: %d%n", server.maxOpenOnAnyPath());
    }

    private interface Step {

        void run() throws Exception;
    }

    /**
     * Runs the step, waits until ZooKeeper shows its effect on the members (a JVM takes a while to start or to stop),
     * then until the moves are over, and reports them.
     */
    private void report(String step, Step action, java.util.concurrent.Callable<Boolean> membersChanged)
            throws Exception {
        Map<String, Integer> openBefore = openConnectionPerPath();
        watchCloses();
        long at = System.nanoTime();
        action.run();
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(100)).until(membersChanged);
        await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            awaitAllOpen(Duration.ofMinutes(5));
            return quietFor(Duration.ofSeconds(5));
        });
        List<Double> gaps = new ArrayList<>();
        long lastMove = at;
        for (String path : movedPaths(openBefore)) {
            long accepted = server.counts(path).lastAcceptedNanos();
            Long closed = closedAt.get(openBefore.get(path));
            gaps.add(BenchSupport.ms(accepted - (closed == null ? at : closed)));
            lastMove = Math.max(lastMove, accepted);
        }
        System.out.printf("| %s | %d | %s | %.0f (from the signal) |%n", step, gaps.size(), gaps.isEmpty() ? "-"
                : Stats.summary(gaps, "%.0f"), BenchSupport.ms(lastMove - at));
    }

    /** The connection open now per path, by its number at the server. */
    private Map<String, Integer> openConnectionPerPath() {
        Map<String, Integer> open = new HashMap<>();
        server.openConnections().forEach(c -> open.put(c.path(), c.id()));
        return open;
    }

    private void watchCloses() {
        for (ServerConnection c : server.openConnections()) {
            c.closedFuture().whenComplete((v, e) -> closedAt.putIfAbsent(c.id(), System.nanoTime()));
        }
    }

    /** The paths whose open connection is not the one open before. */
    private List<String> movedPaths(Map<String, Integer> openBefore) {
        Map<String, Integer> now = openConnectionPerPath();
        List<String> moved = new ArrayList<>();
        openBefore.forEach((path, id) -> {
            if (!id.equals(now.get(path))) {
                moved.add(path);
            }
        });
        return moved;
    }

    private void awaitAllOpen(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 1; i <= feeds; i++) {
                if (server.counts(ManyFeedsYaml.path(i)).open() != 1) {
                    return false;
                }
            }
            return true;
        });
    }

    /** No socket accepted for a while: the moves are over. */
    private void awaitQuiet() {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> quietFor(Duration.ofSeconds(5)));
    }

    private boolean quietFor(Duration quiet) {
        long last = 0;
        for (int i = 1; i <= feeds; i++) {
            last = Math.max(last, server.counts(ManyFeedsYaml.path(i)).lastAcceptedNanos());
        }
        return System.nanoTime() - last > quiet.toNanos() && server.openSockets() == feeds;
    }

    /** Per instance: live threads (/proc), the largest groups of them by name (jcmd Thread.print), the moves logged. */
    private String threads() throws Exception {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Process> instance : instances.entrySet()) {
            long pid = instance.getValue().pid();
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            String threads = status.lines().filter(l -> l.startsWith("Threads:")).findFirst().orElse("Threads: ?")
                    .substring("Threads:".length()).trim();
            Process jcmd = new ProcessBuilder(ChildJvm.javaExecutable().replaceAll("java$", "jcmd"),
                    Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            Map<String, Integer> groups = new java.util.TreeMap<>();
            for (String line : new String(jcmd.getInputStream().readAllBytes()).lines().toList()) {
                if (line.startsWith("\"")) {
                    String name = line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "#");
                    groups.merge(name, 1, Integer::sum);
                }
            }
            jcmd.waitFor();
            String largest = groups.entrySet().stream().sorted(Map.Entry.<String, Integer> comparingByValue().reversed())
                    .limit(5).map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + "; " + b).orElse("");
            long moves = Files.readString(dir.resolve(instance.getKey() + ".log")).lines()
                    .filter(l -> l.contains(" shard ") && (l.contains("feeds started") || l.contains("released")))
                    .count();
            parts.add(instance.getKey() + ": " + threads + " threads (largest groups: " + largest + "), " + moves
                    + " shard moves logged");
        }
        return String.join("\n  ", parts);
    }

    private java.util.Set<String> members() throws Exception {
        return ZooKeeperMembers.of(observer, ZooKeeperMembers.FEEDS);
    }

    private void start(String name, Path routes) throws IOException {
        String shipped = Files.readString(Path.of("application.properties"));
        Path properties = dir.resolve(name + ".properties");
        Files.writeString(properties, shipped + """

                camel.main.name = spread-%s
                camel.main.routesIncludePattern = file:%s,file:examples/cluster/zookeeper/cluster-service.yaml
                camel.management.port = 0
                wslistener.demo.enabled = false
                wslistener.summary.interval = 0
                feeds.dataDir = %s
                feed.cluster.memberId = %s
                feed.cluster.zookeeper.nodes = %s
                feed.cluster.zookeeper.sessionTimeoutMillis = %d
                """.formatted(name, routes, dir.resolve("data-" + name), name, zookeeper.getConnectString(),
                session.toMillis()));
        List<String> command = List.of(ChildJvm.javaExecutable(), "-Xmx512m", "-jar", "target/ws-listener.jar",
                "--properties", properties.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        instances.put(name, builder.start());
    }

    private void close() throws Exception {
        for (Process instance : instances.values()) {
            instance.destroyForcibly().waitFor();
        }
        observer.close();
        zookeeper.close();
        server.close();
        BenchSupport.deleteTree(dir);
    }
}
