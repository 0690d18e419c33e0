package io.wslistener.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory as shipped: {@code java -Xmx128m -jar target/ws-listener.jar} with the shipped properties and a route that
 * takes {@code delayMs} per message (Camel's delay EIP, then the README's file sink kamelet), while the blast server
 * offers the whole backlog at once. Heap after every GC comes from the child's own GC log ({@code -Xlog:gc}), RSS from
 * /proc; at the end the meters are scraped and the file is checked for completeness and order. The stock route runs
 * the same way for comparison.
 * <p>
 * Usage: {@code ShippedMemory <repoDir> <messages> <size> <delayMs> <xmx> <stallSeconds> <maxSeconds> [kamelet|stock ...]}
 */
public final class ShippedMemory {

    /** G1's log line of a collection: "... 60M->12M(128M) 3.456ms". */
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private ShippedMemory() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        long messages = Long.parseLong(args[1]);
        int size = Integer.parseInt(args[2]);
        int delayMs = Integer.parseInt(args[3]);
        String xmx = args[4];
        int stallSeconds = Integer.parseInt(args[5]);
        int maxSeconds = Integer.parseInt(args[6]);
        List<String> candidates = args.length > 7 ? List.of(args).subList(7, args.length) : List.of("kamelet", "stock");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%n%,d messages of %d bytes behind a route of %d ms per message, java -Xmx%s -jar target/ws-listener.jar%n%n",
                messages, size, delayMs, xmx));
        md.append("| route | outcome | delivered | meters: received / written | file check | heap after GC, MB: peak / last"
                + " | GCs | peak RSS, MB | first to last message, s |\n");
        md.append("| --- | --- | ---: | --- | --- | ---: | ---: | ---: | ---: |\n");
        for (String candidate : candidates) {
            try (BlastServer server = new BlastServer((int) messages, size)) {
                md.append(run(repo, candidate, server.port(), messages, size, delayMs, xmx, stallSeconds, maxSeconds)).append('\n');
            }
        }
        System.out.println(md);
    }

    private static String run(Path repo, String candidate, int port, long messages, int size, int delayMs, String xmx,
            int stallSeconds, int maxSeconds) throws Exception {
        Path work = Files.createTempDirectory("ws-bench-memory-");
        Path out = Files.createDirectories(work.resolve("out"));
        Files.copy(repo.resolve("application.properties"), work.resolve("application.properties"));
        Files.createDirectories(work.resolve("routes"));
        String from = candidate.equals("stock") ? "vertx-websocket:127.0.0.1:" + port + "/?consumeAsClient=true"
                : "ws-listener:127.0.0.1:" + port + "/";
        String sink = candidate.equals("stock") ? "file:" + out + "?fileName=out.jsonl&fileExist=Append&appendChars=\\\\n"
                : "kamelet:ws-file-sink?directory=" + out + "&fileName=out.jsonl";
        Files.writeString(work.resolve("routes/bench.yaml"), """
                - route:
                    id: bench
                    from:
                      uri: "%s"
                      steps:
                        - delay:
                            expression:
                              constant: "%d"
                            asyncDelayed: false
                        - to: "%s"
                """.formatted(from, delayMs, sink));
        int managementPort = ShippedThroughput.freePort();
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaExecutable(), "-Xmx" + xmx,
                "-Xlog:gc:file=" + work.resolve("gc.log"), "-Dwslistener.demo.enabled=false",
                "-Dcamel.management.port=" + managementPort, "-jar", repo.resolve("target/ws-listener.jar").toString()));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        Path file = out.resolve("out.jsonl");
        long expected = messages * (size + 1);
        long started = System.nanoTime();
        long first = 0;
        long lastGrowth = System.nanoTime();
        long lastSize = 0;
        long peakRssKb = 0;
        String outcome = "completed";
        try {
            while (lastSize < expected) {
                Thread.sleep(200);
                long now = System.nanoTime();
                long current = Files.exists(file) ? Files.size(file) : 0;
                if (current > 0 && first == 0) {
                    first = now;
                }
                if (current != lastSize) {
                    lastSize = current;
                    lastGrowth = now;
                }
                peakRssKb = Math.max(peakRssKb, peakRssKb(process.pid()));
                if (!process.isAlive()) {
                    outcome = "exited (" + process.exitValue() + ")";
                    break;
                }
                if (now - started > TimeUnit.SECONDS.toNanos(maxSeconds)) {
                    outcome = "still running after " + maxSeconds + " s, stopped";
                    break;
                }
                if (now - lastGrowth > TimeUnit.SECONDS.toNanos(stallSeconds) && (first > 0 || now - started > TimeUnit.SECONDS.toNanos(60))) {
                    outcome = "stalled: nothing written for " + stallSeconds + " s, stopped";
                    break;
                }
            }
            String console = Files.readString(work.resolve("console.log"));
            if (console.contains("OutOfMemoryError")) {
                outcome = "OutOfMemoryError, then " + outcome;
            }
            double seconds = (lastGrowth - first) / 1e9;
            String meters = "-";
            if (!candidate.equals("stock") && process.isAlive()) {
                String metrics = ShippedThroughput.scrape(managementPort);
                meters = ShippedThroughput.sum(metrics, "wslistener_messages_received_total") + " / "
                        + ShippedThroughput.sum(metrics, "wslistener_sink_written_total");
            }
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            long[] heap = heapAfterGc(work.resolve("gc.log"));
            OutputCheck check = OutputCheck.of(out, messages);
            String row = String.format(Locale.ROOT, "| %s | %s | %,d | %s | %,d lines, %s, %,d reordered | %d / %d | %d | %d | %.1f |",
                    candidate.equals("stock") ? "stock vertx-websocket -> file:" : "ws-listener, kamelet file sink", outcome,
                    lastSize / (size + 1), meters, check.lines(), check.describeMissing(), check.reorderings(), heap[0],
                    heap[1], heap[2], peakRssKb / 1024, seconds);
            System.err.println(row);
            BenchSupport.deleteTree(work);
            return row;
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Peak and last heap after a collection (MB), and the number of collections, from the child's GC log. */
    static long[] heapAfterGc(Path gcLog) throws IOException {
        long peak = 0;
        long last = 0;
        long count = 0;
        if (Files.exists(gcLog)) {
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC.matcher(line);
                if (m.find()) {
                    last = Long.parseLong(m.group(2));
                    peak = Math.max(peak, last);
                    count++;
                }
            }
        }
        return new long[] { peak, last, count };
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
