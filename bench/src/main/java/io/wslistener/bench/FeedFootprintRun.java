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

import javax.management.ObjectName;

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
    /** How long every feed may take to open before the run fails. */
    private static final long OPEN_TIMEOUT_SECONDS = Long.getLong("footprint.openTimeoutSeconds", 300);
    /** How long the stop at the end may take before the JVM is halted. */
    private static final long STOP_TIMEOUT_SECONDS = Long.getLong("footprint.stopTimeoutSeconds", 60);
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
        Thread progress = progress(main, feeds, start);
        main.start();
        try {
            double startedSeconds = (System.nanoTime() - start) / 1e9;
            awaitAllOpen(main.getCamelContext(), feeds);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            double jvmOpenSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            double cpuSeconds = processCpuSeconds();
            // the thread that ran camel-main's start: route creation and start are sequential, on this thread alone
            double mainCpuSeconds = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
            progress.interrupt();
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
            writeHistogram(feeds);
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.out.printf(Locale.ROOT, "FOOTPRINT feeds=%d heapKb=%d threads=%d openSeconds=%.2f startedSeconds=%.2f "
                                           + "jvmOpenSeconds=%.2f cpuSeconds=%.2f mainCpuSeconds=%.2f groups=%s%n",
                    feeds, heapKb, threads, openSeconds, startedSeconds, jvmOpenSeconds, cpuSeconds, mainCpuSeconds,
                    threadGroups());
        } finally {
            stop(main);
        }
        System.exit(0);
    }

    /**
     * Stops the application as SIGTERM would, and says how long that took; a stop still running after
     * {@code footprint.stopTimeoutSeconds} is reported as such and the JVM halted, so that one slow stop does not hold
     * up the whole curve.
     */
    private static void stop(Main main) {
        long begin = System.nanoTime();
        Thread stopping = new Thread(main::stop, "footprint-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            System.out.printf(Locale.ROOT, "STOPPED seconds=>%d%n", STOP_TIMEOUT_SECONDS);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
        System.out.printf(Locale.ROOT, "STOPPED seconds=%.1f%n", (System.nanoTime() - begin) / 1e9);
    }

    /** Prints every few seconds how many routes exist and how many feeds are open, from camel-main's start on. */
    private static Thread progress(Main main, int feeds, long start) {
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    TimeUnit.SECONDS.sleep(5);
                    CamelContext context = main.getCamelContext();
                    if (context != null) {
                        System.out.printf(Locale.ROOT, "PROGRESS %.1f s: %d routes, %d of %d feeds open%n",
                                (System.nanoTime() - start) / 1e9, context.getRoutesSize(), open(context), feeds);
                    }
                }
            } catch (InterruptedException e) {
                // all open
            }
        }, "footprint-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitAllOpen(CamelContext context, int feeds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OPEN_TIMEOUT_SECONDS);
        int open;
        while ((open = open(context)) < feeds) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + open + " of " + feeds + " feeds open after "
                        + OPEN_TIMEOUT_SECONDS + " s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * With {@code -Dfootprint.histogram=FILE} ({@code {feeds}} replaced by the feed count), the live objects by class
     * ({@code jcmd GC.class_histogram}) at the moment the heap is measured: two runs side by side show what a feed
     * holds.
     */
    private static void writeHistogram(int feeds) throws Exception {
        String file = System.getProperty("footprint.histogram");
        if (file != null) {
            Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] { null }, new String[] { String[].class.getName() });
            Files.writeString(Path.of(file.replace("{feeds}", Integer.toString(feeds))), String.valueOf(histogram));
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
