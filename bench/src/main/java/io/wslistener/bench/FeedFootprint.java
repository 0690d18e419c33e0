package io.wslistener.bench;

import io.wslistener.testsupport.TestWebSocketServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;


/**
 * Per-feed footprint: the application with 0, 1,000, 5,000 and 10,000 feeds (or other counts) from the route
 * template of {@code examples/many-feeds}, each in a fresh JVM, all against one local server that sends every socket one message a
 * second. Prints a Markdown table of heap (after a full GC) and live threads once every feed is connected and has
 * delivered messages. Not a test: run it with {@code bench/run.sh footprint}.
 * <p>
 * Usage: {@code FeedFootprint [feed counts, default 0,1000,5000,10000] [plain|clustered]}; see {@link FeedFootprintRun}
 * for {@code clustered}. {@code BENCH_CHILD_ARGS} adds JVM options to every run ({@code {feeds}} is replaced by its
 * feed count), e.g. {@code -XX:StartFlightRecording=filename=/tmp/footprint-{feeds}.jfr}.
 */
public final class FeedFootprint {

    private static final Pattern RESULT = Pattern.compile(
            "FOOTPRINT feeds=(\\d+) heapKb=(\\d+) threads=(\\d+) openSeconds=(\\S+) startedSeconds=(\\S+) "
            + "jvmOpenSeconds=(\\S+) cpuSeconds=(\\S+) mainCpuSeconds=(\\S+) groups=(.*)");

    private FeedFootprint() {
    }

    /**
     * One run: {@code openSeconds} from camel-main's start to every feed open, {@code startedSeconds} until camel-main's
     * start returned (every route started), {@code jvmOpenSeconds} from the JVM's start to every feed open and
     * {@code cpuSeconds} the process's CPU time until then, {@code mainCpuSeconds} that of the thread that ran
     * camel-main's start (creating and starting the routes, one after the other); {@code stopSeconds} how long camel-main's stop took at the
     * end (as after SIGTERM), {@code >N} when it was cut off after N s.
     */
    record Result(int feeds, long heapKb, int threads, double openSeconds, double startedSeconds, double jvmOpenSeconds,
                  double cpuSeconds, double mainCpuSeconds, String stopSeconds, String groups) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String count : (args.length > 0 ? args[0] : "0,1000,5000,10000").split(",")) {
            counts.add(Integer.parseInt(count.trim()));
        }
        String mode = args.length > 1 ? args[1] : "plain";
        Map<Integer, Result> results = new LinkedHashMap<>();
        try (TestWebSocketServer server = new TestWebSocketServer()
                .sendEvery(Duration.ofMillis(1000), n -> "{\"seq\":" + n + "}").start()) {
            for (int feeds : counts) {
                Result result = run(feeds, server, mode);
                results.put(feeds, result);
                System.err.printf(Locale.ROOT, "%5d feeds: heap %,8d KB, %4d threads, all open in %.1f s (routes started "
                                               + "after %.1f s, %.1f s from the JVM's start, %.1f s of CPU, %.1f s of them "
                                               + "on the starting thread), stopped in %s s, server max sockets per feed %d, "
                                               + "groups %s%n",
                        feeds, result.heapKb, result.threads, result.openSeconds, result.startedSeconds,
                        result.jvmOpenSeconds, result.cpuSeconds, result.mainCpuSeconds, result.stopSeconds,
                        server.maxOpenOnAnyPath(), result.groups);
            }
        }
        System.out.println(table(mode, results));
    }

    private static Result run(int feeds, TestWebSocketServer server, String mode) throws Exception {
        Path dir = Files.createTempDirectory("ws-footprint-" + feeds);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // e.g. a JFR recording or a heap dump of one run ({feeds} is replaced by the run's feed count)
        String childArgs = System.getenv("BENCH_CHILD_ARGS");
        if (childArgs != null && !childArgs.isBlank()) {
            command.addAll(List.of(childArgs.trim().replace("{feeds}", Integer.toString(feeds)).split("\\s+")));
        }
        command.addAll(List.of("-Xmx1g", "-Dfootprint.settleSeconds=" + Long.getLong("footprint.settleSeconds", 5),
                "-Dfootprint.openTimeoutSeconds=" + Long.getLong("footprint.openTimeoutSeconds", 300),
                "-Dfootprint.stopTimeoutSeconds=" + Long.getLong("footprint.stopTimeoutSeconds", 60),
                "-cp", System.getProperty("java.class.path"),
                FeedFootprintRun.class.getName(), Integer.toString(feeds), Integer.toString(server.port()), dir.toString(),
                mode));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        String stopped = "-";
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("FOOTPRINT ")) {
                    result = line;
                } else if (line.startsWith("STOPPED seconds=")) {
                    stopped = line.substring("STOPPED seconds=".length());
                } else if (line.startsWith("PROGRESS ")) {
                    System.err.println(feeds + " feeds: " + line.substring("PROGRESS ".length()));
                }
                tail.add(line);
                if (tail.size() > 30) {
                    tail.remove(0);
                }
            }
        }
        int exit = process.waitFor();
        deleteRecursively(dir);
        Matcher m = result == null ? null : RESULT.matcher(result);
        if (m == null || !m.find()) {
            throw new IllegalStateException(feeds + " feeds: no result (exit " + exit + "):\n" + String.join("\n", tail));
        }
        return new Result(feeds, Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)), Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)),
                Double.parseDouble(m.group(8)), stopped, m.group(9));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** One row per run; the per-feed columns are the growth from the previous row, divided by the feeds added. */
    private static String table(String mode, Map<Integer, Result> results) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s feeds; Java %s, %d cores, -Xmx1g; heap used after a full GC and live "
                                               + "threads, with every feed open and receiving 1 message/s%n%n",
                mode, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        text.append("| feeds | heap (MB) | threads | heap per added feed (KB) | threads per added feed | all open after (s) "
                    + "| routes started after (s) | all open from JVM start (s) | CPU until all open (s) "
                    + "| of it the starting thread (s) | stop (s) |\n");
        text.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Result previous = null;
        for (Result r : results.values()) {
            String heapPerFeed = "-";
            String threadsPerFeed = "-";
            if (previous != null && r.feeds > previous.feeds) {
                int added = r.feeds - previous.feeds;
                heapPerFeed = String.format(Locale.ROOT, "%.1f", (r.heapKb - previous.heapKb) / (double) added);
                threadsPerFeed = String.format(Locale.ROOT, "%.3f", (r.threads - previous.threads) / (double) added);
            }
            text.append(String.format(Locale.ROOT, "| %,d | %.1f | %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    r.feeds, r.heapKb / 1024.0, r.threads, heapPerFeed, threadsPerFeed, r.openSeconds, r.startedSeconds,
                    r.jvmOpenSeconds, r.cpuSeconds, r.mainCpuSeconds, r.stopSeconds));
            previous = r;
        }
        return text.toString();
    }
}
