package io.wslistener.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Many feeds in one JVM as shipped: {@code java -jar target/ws-listener.jar} with K routes, each from its own
 * connection to the blast server into its own README file sink, against K bare Vert.x clients in one JVM. Reports the
 * aggregate msg/s, each feed's own msg/s (first to last byte of its file) and the spread between the fastest and the
 * slowest feed, CPU per message, the meters and every file's completeness and order.
 * <p>
 * Usage: {@code ManyFeeds <repoDir> <feeds> <messagesPerFeed> <size> <runs>}
 */
public final class ManyFeeds {

    private ManyFeeds() {
    }

    record Result(double aggregate, double fastest, double slowest, double cpuMicros, String meters, String check) {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        int feeds = Integer.parseInt(args[1]);
        long messages = Long.parseLong(args[2]);
        int size = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "%n%d feeds in one JVM, %,d messages of %d bytes each%n%n", feeds, messages, size));
        md.append("| round | candidate | aggregate msg/s | ratio to bare | per feed msg/s: fastest / slowest | spread (fastest / slowest)"
                + " | CPU µs/msg, whole process | meters: received / written | output |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
        try (BlastServer server = new BlastServer((int) messages, size)) {
            for (int round = 1; round <= runs; round++) {
                Result bare = run(repo, false, server.port(), feeds, messages, size);
                Result jar = run(repo, true, server.port(), feeds, messages, size);
                for (Result r : List.of(bare, jar)) {
                    String row = String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %,.0f / %,.0f | %.2f | %.2f | %s | %s |",
                            round, r == bare ? "bare Vert.x clients" : "ws-listener, kamelet file sinks", r.aggregate,
                            r.aggregate / bare.aggregate, r.fastest, r.slowest, r.fastest / r.slowest, r.cpuMicros,
                            r.meters, r.check);
                    System.err.println(row);
                    md.append(row).append('\n');
                }
            }
        }
        System.out.println(md);
    }

    private static Result run(Path repo, boolean shipped, int port, int feeds, long messages, int size) throws Exception {
        Path work = Files.createTempDirectory("ws-bench-feeds-");
        Path out = Files.createDirectories(work.resolve("out"));
        int managementPort = ShippedThroughput.freePort();
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaExecutable()));
        if (shipped) {
            Files.copy(repo.resolve("application.properties"), work.resolve("application.properties"));
            StringBuilder yaml = new StringBuilder();
            for (int i = 1; i <= feeds; i++) {
                yaml.append("""
                        - route:
                            id: feed-%d
                            from:
                              uri: "ws-listener:127.0.0.1:%d/feed-%d"
                              steps:
                                - to: "kamelet:ws-file-sink?directory=%s/feed-%d&fileName=out.jsonl"
                        """.formatted(i, port, i, out, i));
            }
            Files.createDirectories(work.resolve("routes"));
            Files.writeString(work.resolve("routes/bench.yaml"), yaml);
            command.addAll(List.of("-Dwslistener.demo.enabled=false", "-Dcamel.management.port=" + managementPort,
                    "-jar", repo.resolve("target/ws-listener.jar").toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareClients.class.getName(),
                    Integer.toString(port), Integer.toString(feeds), Long.toString(messages), out.toString()));
        }
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        try {
            long expected = messages * (size + 1);
            long[] first = new long[feeds];
            long[] done = new long[feeds];
            long[] lastSize = new long[feeds];
            long lastGrowth = System.nanoTime();
            long startedAt = System.nanoTime();
            Map<Long, Double> cpuBefore = null;
            int complete = 0;
            while (complete < feeds) {
                Thread.sleep(1);
                long now = System.nanoTime();
                complete = 0;
                for (int i = 0; i < feeds; i++) {
                    Path file = out.resolve("feed-" + (i + 1)).resolve("out.jsonl");
                    long current = Files.exists(file) ? Files.size(file) : 0;
                    if (current > 0 && first[i] == 0) {
                        first[i] = now;
                        if (cpuBefore == null) {
                            cpuBefore = ThreadCpu.sample(process.pid());
                        }
                    }
                    if (current != lastSize[i]) {
                        lastSize[i] = current;
                        lastGrowth = now;
                        if (current >= expected) {
                            done[i] = now;
                        }
                    }
                    if (done[i] != 0) {
                        complete++;
                    }
                }
                if (now - lastGrowth > TimeUnit.SECONDS.toNanos(10) && now - startedAt > TimeUnit.SECONDS.toNanos(60)) {
                    break;
                }
            }
            Map<Long, Double> cpuAfter = ThreadCpu.sample(process.pid());
            long start = Long.MAX_VALUE;
            long end = 0;
            double fastest = 0;
            double slowest = Double.MAX_VALUE;
            for (int i = 0; i < feeds; i++) {
                long finished = done[i] == 0 ? lastGrowth : done[i];
                start = Math.min(start, first[i] == 0 ? Long.MAX_VALUE : first[i]);
                end = Math.max(end, finished);
                double rate = (lastSize[i] / (double) (size + 1)) / ((finished - first[i]) / 1e9);
                fastest = Math.max(fastest, rate);
                slowest = Math.min(slowest, rate);
            }
            long total = 0;
            for (long s : lastSize) {
                total += s / (size + 1);
            }
            double cpu = cpuBefore == null ? 0
                    : ThreadCpu.byGroup(cpuBefore, cpuAfter, Map.of()).getOrDefault("total", 0.0) * 1e6 / total;
            String meters = "-";
            if (shipped) {
                String metrics = ShippedThroughput.scrape(managementPort);
                meters = ShippedThroughput.sum(metrics, "wslistener_messages_received_total") + " / "
                        + ShippedThroughput.sum(metrics, "wslistener_sink_written_total");
            }
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            int perfect = 0;
            for (int i = 1; i <= feeds; i++) {
                if (OutputCheck.of(out.resolve("feed-" + i), messages).perfect(messages)) {
                    perfect++;
                }
            }
            String check = perfect == feeds ? "every feed complete, in order" : (feeds - perfect) + " feed(s) incomplete or reordered";
            BenchSupport.deleteTree(work);
            return new Result(total / ((end - start) / 1e9), fastest, slowest, cpu, meters, check);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
