package io.wslistener.bench;

import io.wslistener.cluster.ManyFeedsYaml;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.wslistener.app.WsListenerApplication;
import io.wslistener.connection.ConnectionState;
import io.wslistener.source.WsListenerConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.Main;

/**
 * One footprint run, in its own JVM: the application with N feeds from the many-feeds template; once every feed is
 * open and has run for a while, prints heap after a full GC and live threads (grouped by name) in one line.
 * <p>
 * Usage: {@code FeedFootprintRun <feeds> <port> <dir> [plain|clustered]}; {@code clustered} runs the template of
 * {@code examples/many-feeds/clustered} (a leadership per shard, not spread) with the file-lock cluster service of
 * {@code examples/cluster}, as the only instance, so that it leads every feed.
 */
public final class FeedFootprintRun {

    /** How long the feeds run, all open, before measuring: long enough for every feed to deliver a few messages. */
    private static final long SETTLE_SECONDS = Long.getLong("footprint.settleSeconds", 5);
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private FeedFootprintRun() {
    }

    public static void main(String[] args) throws Exception {
        int feeds = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        boolean clustered = args.length > 3 && args[3].equals("clustered");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        ManyFeedsYaml yaml = clustered ? ManyFeedsYaml.CLUSTERED : ManyFeedsYaml.PLAIN;
        Files.writeString(routes.resolve("feeds.yaml"), yaml.feeds(feeds, "127.0.0.1", port));
        if (clustered) {
            Files.copy(Path.of("examples/cluster/cluster-service.yaml"), routes.resolve("cluster-service.yaml"));
        }
        Path properties = dir.resolve("application.properties");
        // the shipped properties (metrics, JMX and management settings as a user runs them), then the benchmark's own
        String shipped = Files.exists(Path.of("application.properties")) ? Files.readString(Path.of("application.properties")) : "";
        String extra = System.getenv().getOrDefault("FOOTPRINT_EXTRA_PROPERTIES", "").replace(";", "\n");
        Files.writeString(properties, shipped + "\n" + extra + "\n" + """
                camel.main.name = footprint
                camel.management.port = 0
                wslistener.demo.enabled = false
                feeds.dataDir = %s
                feed.cluster.root = %s
                feeds.cluster.spread = false
                """.formatted(dir.resolve("data"), dir.resolve("locks")));

        Main main = WsListenerApplication.createMain(
                new String[] { "--properties", properties.toString(), "--routes", routes.toString() });
        long start = System.nanoTime();
        main.start();
        try {
            awaitAllOpen(main.getCamelContext(), feeds);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            TimeUnit.SECONDS.sleep(SETTLE_SECONDS);
            if (open(main.getCamelContext()) != feeds) {
                throw new IllegalStateException("a feed disconnected while settling");
            }
            long accepted = totalConnections(main.getCamelContext());
            if (accepted != feeds) {
                throw new IllegalStateException(accepted + " connections for " + feeds + " feeds: some reconnected");
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf(Locale.ROOT, "FOOTPRINT feeds=%d heapKb=%d threads=%d openSeconds=%.2f groups=%s%n",
                    feeds, heapKb, threads, openSeconds, threadGroups());
        } finally {
            main.stop();
        }
        System.exit(0);
    }

    private static void awaitAllOpen(CamelContext context, int feeds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (open(context) < feeds) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + open(context) + " of " + feeds + " feeds open after 120 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private static long totalConnections(CamelContext context) {
        long connections = 0;
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof WsListenerConsumer consumer && consumer.getLoop() != null) {
                connections += consumer.getLoop().snapshot().connections();
            }
        }
        return connections;
    }

    private static int open(CamelContext context) {
        int open = 0;
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof WsListenerConsumer consumer && consumer.getLoop() != null
                    && consumer.getLoop().state() == ConnectionState.OPEN) {
                open++;
            }
        }
        return open;
    }

    /** Live threads by name with the numbers taken out, so that a pool shows as one entry with its size. */
    private static Map<String, Integer> threadGroups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            groups.merge(DIGITS.matcher(thread.getName()).replaceAll("#"), 1, Integer::sum);
        }
        return groups;
    }
}
