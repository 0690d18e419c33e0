package io.wslistener.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Files the cluster tests write and read: an application.properties with the demo feed off, and what a file sink wrote.
 */
final class ClusterTestFiles {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private ClusterTestFiles() {
    }

    /**
     * The feed the cluster tests judge by: every socket gets {@code {"seq":n}} every 100 ms, and the server's
     * {@link TestWebSocketServer#counts(String) counts per path} witness that there were never two sockets for a feed.
     */
    static TestWebSocketServer seqFeed() {
        return seqFeed(Duration.ofMillis(100));
    }

    /** The same at another pace: many feeds at 10 messages a second each keep a small machine busy. */
    static TestWebSocketServer seqFeed(Duration every) {
        return new TestWebSocketServer().sendEvery(every, n -> "{\"seq\":" + n + "}").start();
    }

    /**
     * An in-process ZooKeeper with a tick of 500 ms, so that it grants sessions from 1 s up (2 to 20 ticks): a short
     * session notices a kill quickly.
     */
    static TestingServer zookeeper(Path dataDir) throws Exception {
        return new TestingServer(new InstanceSpec(dataDir.toFile(), -1, -1, -1, true, -1, 500, -1), true);
    }

    /** The lines of an instance running {@code routes} with the ZooKeeper cluster service of examples/cluster. */
    static String[] zooKeeperInstance(Path routes, Path dataDir, String name, TestingServer zookeeper,
                                      Duration session) {
        return new String[]{
                "camel.main.routesIncludePattern = file:" + routes
                        + ",file:examples/cluster/zookeeper/cluster-service.yaml",
                "feeds.dataDir = " + dataDir,
                "feed.cluster.memberId = " + name,
                "feed.cluster.zookeeper.nodes = " + zookeeper.getConnectString(),
                "feed.cluster.zookeeper.sessionTimeoutMillis = " + session.toMillis(),
                "feed.cluster.zookeeper.connectTimeoutMillis = 3000" };
    }

    /** How many of the feeds of {@link ManyFeedsYaml} fall in each shard of a policy with the default shard count. */
    static int[] shardSizes(int feeds) {
        int[] sizes = new int[FeedSpreadPolicy.DEFAULT_SHARDS];
        for (int i = 1; i <= feeds; i++) {
            sizes[ShardAssignment.shardOf(ManyFeedsYaml.feedId(i), sizes.length)]++;
        }
        return sizes;
    }

    /** Every feed of {@link ManyFeedsYaml} numbered 1 to {@code feeds} has exactly one socket open at the server. */
    static boolean oneSocketEach(TestWebSocketServer server, int feeds) {
        for (int i = 1; i <= feeds; i++) {
            if (server.counts(ManyFeedsYaml.path(i)).open() != 1) {
                return false;
            }
        }
        return true;
    }

    /** An application.properties in {@code dir}: demo feed off, short shutdown, plus the given lines. */
    static Path properties(Path dir, String[] lines, String... more) throws IOException {
        String[] all = java.util.Arrays.copyOf(lines, lines.length + more.length);
        System.arraycopy(more, 0, all, lines.length, more.length);
        return properties(dir, all);
    }

    static Path properties(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("application-" + System.nanoTime() + ".properties");
        StringBuilder text = new StringBuilder("""
                camel.main.name = ws-listener-test
                camel.main.shutdownTimeout = 10
                wslistener.demo.enabled = false
                """);
        for (String line : lines) {
            text.append(line).append(System.lineSeparator());
        }
        Files.writeString(file, text);
        return file;
    }

    /** The "seq" numbers of a file's lines, in file order; empty when the file is not there (yet). */
    static List<Long> sequences(Path file) {
        List<Long> sequences = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return sequences;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) {
                    sequences.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sequences;
    }

    /** The "seq" numbers of every file in a directory, in file-name order; empty when there is none (yet). */
    static List<Long> sequencesIn(Path dir) {
        List<Long> sequences = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return sequences;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(file -> sequences.addAll(sequences(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sequences;
    }

    /**
     * The first place where a sequence of several connections' messages, one connection after the other, has a gap:
     * each connection's numbers start at 1 and go up by one (the server counts per socket); -1 when there is none.
     */
    static int firstGapPerConnection(List<Long> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            long seq = sequences.get(i);
            boolean next = i > 0 && seq == sequences.get(i - 1) + 1;
            if (seq != 1 && !next) {
                return i;
            }
        }
        return -1;
    }

    /** The first place where the sequence is not 1, 2, 3, ...; -1 when it is. */
    static int firstGap(List<Long> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i) != i + 1) {
                return i;
            }
        }
        return -1;
    }
}
