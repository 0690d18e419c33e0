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
 * {@code examples/many-feeds/clustered} (a leadership per feed) with the file-lock cluster service of
 * {@code examples/cluster}, as the only instance, so that it leads every feed.
 */
public final class FeedFootprintRun {

    /** How long the feeds run, all open, before measuring: long enough for every feed to deliver a few messages. */
    private static final long SETTLE_SECONDS = Long.getLong("footprint.settleSeconds", 5);
    /** How long every feed may take to open before the run fails. */
    private static final long OPEN_TIMEOUT_SECONDS = Long.getLong("footprint.openTimeoutSeconds", 300);
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
                """.formatted(dir.resolve("data"), dir.resolve("locks")));

        Main main = WsListenerApplication.createMain(
                new String[] { "--properties", properties.toString(), "--routes", routes.toString() });
        long start = System.nanoTime();
        main.start();
        try {
            double startedSeconds = (System.nanoTime() - start) / 1e9;
            awaitAllOpen(main.getCamelContext(), feeds, start);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            double jvmOpenSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            double cpuSeconds = processCpuSeconds();
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
            System.out.printf(Locale.ROOT, "FOOTPRINT feeds=%d heapKb=%d threads=%d openSeconds=%.2f startedSeconds=%.2f "
                                           + "jvmOpenSeconds=%.2f cpuSeconds=%.2f groups=%s%n",
                    feeds, heapKb, threads, openSeconds, startedSeconds, jvmOpenSeconds, cpuSeconds, threadGroups());
        } finally {
            main.stop();
        }
        System.exit(0);
    }

    /** Waits for every feed to be open, printing how many are every few seconds (the curve of a slow start). */
    private static void awaitAllOpen(CamelContext context, int feeds, long start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OPEN_TIMEOUT_SECONDS);
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int open;
        while ((open = open(context)) < feeds) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + open + " of " + feeds + " feeds open after "
                        + OPEN_TIMEOUT_SECONDS + " s");
            }
            if (System.nanoTime() > nextProgress) {
                System.out.printf(Locale.ROOT, "PROGRESS %.1f s: %d of %d feeds open, %d routes%n",
                        (System.nanoTime() - start) / 1e9, open, feeds, context.getRoutes().size());
                nextProgress += TimeUnit.SECONDS.toNanos(5);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** CPU time of the whole process so far (every thread, the JIT and GC included). */
    private static double processCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
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
