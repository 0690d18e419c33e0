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
 * Per-feed footprint: the application with 0, 10, 100 and 1,000 feeds from the route template of
 * {@code examples/many-feeds}, each in a fresh JVM, all against one local server that sends every socket one message a
 * second. Prints a Markdown table of heap (after a full GC) and live threads once every feed is connected and has
 * delivered messages. Not a test: run it with {@code bench/run.sh footprint}.
 * <p>
 * Usage: {@code FeedFootprint [feed counts, default 0,10,100,1000] [plain|clustered]}; see {@link FeedFootprintRun}
 * for {@code clustered}.
 */
public final class FeedFootprint {

    private static final Pattern RESULT = Pattern.compile(
            "FOOTPRINT feeds=(\\d+) heapKb=(\\d+) threads=(\\d+) openSeconds=(\\S+) groups=(.*)");

    private FeedFootprint() {
    }

    record Result(int feeds, long heapKb, int threads, double openSeconds, String groups) {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (String count : (args.length > 0 ? args[0] : "0,10,100,1000").split(",")) {
            counts.add(Integer.parseInt(count.trim()));
        }
        String mode = args.length > 1 ? args[1] : "plain";
        Map<Integer, Result> results = new LinkedHashMap<>();
        try (TestWebSocketServer server = new TestWebSocketServer()
                .sendEvery(Duration.ofMillis(1000), n -> "{\"seq\":" + n + "}").start()) {
            for (int feeds : counts) {
                Result result = run(feeds, server, mode);
                results.put(feeds, result);
                System.err.printf(Locale.ROOT, "%5d feeds: heap %,8d KB, %4d threads, all open in %.1f s, server max sockets per feed %d, groups %s%n",
                        feeds, result.heapKb, result.threads, result.openSeconds, server.maxOpenOnAnyPath(), result.groups);
            }
        }
        System.out.println(table(mode, results));
    }

    private static Result run(int feeds, TestWebSocketServer server, String mode) throws Exception {
        Path dir = Files.createTempDirectory("ws-footprint-" + feeds);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dfootprint.settleSeconds=" + Long.getLong("footprint.settleSeconds", 5),
                "-cp", System.getProperty("java.class.path"),
                FeedFootprintRun.class.getName(), Integer.toString(feeds), Integer.toString(server.port()), dir.toString(),
                mode);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("FOOTPRINT ")) {
                    result = line;
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
                m.group(5));
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
        text.append("| feeds | heap (MB) | threads | heap per added feed (KB) | threads per added feed | all open after (s) |\n");
        text.append("| ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Result previous = null;
        for (Result r : results.values()) {
            String heapPerFeed = "-";
            String threadsPerFeed = "-";
            if (previous != null && r.feeds > previous.feeds) {
                int added = r.feeds - previous.feeds;
                heapPerFeed = String.format(Locale.ROOT, "%.1f", (r.heapKb - previous.heapKb) / (double) added);
                threadsPerFeed = String.format(Locale.ROOT, "%.3f", (r.threads - previous.threads) / (double) added);
            }
            text.append(String.format(Locale.ROOT, "| %,d | %.1f | %d | %s | %s | %.1f |%n", r.feeds, r.heapKb / 1024.0,
                    r.threads, heapPerFeed, threadsPerFeed, r.openSeconds));
            previous = r;
        }
        return text.toString();
    }
}
