package io.wslistener.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of what ships: every candidate runs in a JVM of its own and writes the blast server's messages to a file,
 * one line each. The ws-listener candidates are {@code java -jar target/ws-listener.jar} with the shipped
 * {@code application.properties} (metrics and health on) and a route in YAML as the docs print it, and a host
 * camel-main application with ws-listener as a library. In every round the same server feeds the bare Vert.x client,
 * each ws-listener candidate and the stock route, so the ratios compare runs made side by side.
 * <p>
 * The clock runs from the first byte in the output file to the last (the file's size is polled; the candidates are
 * not touched). CPU per thread comes from /proc between the same two moments. Afterwards the management server's
 * {@code /observe/metrics} is scraped: the ws-listener meters must have counted every message. Then the candidate gets
 * SIGTERM and its file is checked line by line for completeness and order.
 * <p>
 * Usage: {@code ShippedThroughput <repoDir> <messages> <size> <runs> [candidates...]}
 */
public final class ShippedThroughput {

    /** The README's one-line file sink. */
    private static final String KAMELET_SINK = "kamelet:ws-file-sink?directory=%s&fileName=out.jsonl";
    private static final Duration FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** How a candidate runs, and what its route is. */
    enum Candidate {
        VERTX_BARE("vertx-bare", Kind.BARE, null),
        KAMELET("ws-listener kamelet", Kind.JAR, KAMELET_SINK),
        SINK_FILE("ws-listener sink-file:", Kind.JAR, "sink-file:%s?fileName=out.jsonl"),
        HOST_KAMELET("host camel-main, kamelet", Kind.HOST, KAMELET_SINK),
        /** Opt-in batches (not the default): one exchange for up to 100 messages that were waiting together. */
        KAMELET_BATCH("ws-listener kamelet, maxBatchSize=100 (opt-in)", Kind.JAR, KAMELET_SINK, "-Dwslistener.maxBatchSize=100"),
        SINK_FILE_BATCH("ws-listener sink-file:, maxBatchSize=100 (opt-in)", Kind.JAR, "sink-file:%s?fileName=out.jsonl",
                "-Dwslistener.maxBatchSize=100"),
        /** The shipped jar with Camel's per-exchange meters switched back on: what they cost. */
        KAMELET_CAMEL_METERS("ws-listener kamelet, Camel's exchange meters on", Kind.JAR, KAMELET_SINK,
                "-Dcamel.metrics.enableRoutePolicy=true", "-Dcamel.metrics.enableExchangeEventNotifier=true"),
        STOCK("stock vertx-websocket -> file:", Kind.JAR, null),
        /** The shipped jar with the JVM options of BENCH_VARIANT_ARGS (-D overrides): to compare a setting side by side. */
        KAMELET_VARIANT("ws-listener kamelet, $BENCH_VARIANT_ARGS", Kind.JAR, KAMELET_SINK);

        final String label;
        final Kind kind;
        final String sink;
        final List<String> jvmArgs;

        Candidate(String label, Kind kind, String sink, String... jvmArgs) {
            this.label = label;
            this.kind = kind;
            this.sink = sink;
            this.jvmArgs = List.of(jvmArgs);
        }

        String route(int port, Path out) {
            if (this == STOCK) {
                return """
                        - route:
                            id: bench
                            from:
                              uri: "vertx-websocket:127.0.0.1:%d/?consumeAsClient=true"
                              steps:
                                - to: "file:%s?fileName=out.jsonl&fileExist=Append&appendChars=\\\\n"
                        """.formatted(port, out);
            }
            return """
                    - route:
                        id: bench
                        from:
                          uri: "ws-listener:127.0.0.1:%d/"
                          steps:
                            - to: "%s"
                    """.formatted(port, sink.formatted(out));
        }
    }

    enum Kind { BARE, JAR, HOST }

    record Run(double rate, Map<String, Double> cpuMicrosPerMessage, Long metered, Long written, OutputCheck check,
            String note) {
    }

    private ShippedThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        long messages = Long.parseLong(args[1]);
        int size = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            candidates.add(Candidate.valueOf(args[i].toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        if (candidates.isEmpty()) {
            candidates.addAll(List.of(Candidate.values()));
            candidates.remove(Candidate.KAMELET_VARIANT);
        }
        Map<Candidate, List<Run>> results = new LinkedHashMap<>();
        candidates.forEach(c -> results.put(c, new ArrayList<>()));
        try (BlastServer server = new BlastServer((int) messages, size)) {
            for (int round = 1; round <= runs; round++) {
                for (Candidate candidate : candidates) {
                    Run run = run(repo, candidate, server.port(), messages, size);
                    results.get(candidate).add(run);
                    System.err.printf(Locale.ROOT, "round %d %-32s %,10.0f msg/s  cpu µs/msg %s  meters %s/%s  %s %s%n",
                            round, candidate.label, run.rate, format(run.cpuMicrosPerMessage), run.metered, run.written,
                            run.check.perfect(messages) ? "complete, in order" : run.check.describeMissing()
                                    + ", " + run.check.reorderings() + " reordered", run.note);
                }
            }
        }
        System.out.println(ThroughputReport.table(messages, size, results));
    }

    private static String format(Map<String, Double> cpu) {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(cpu).forEach((group, micros) -> text.append(String.format(Locale.ROOT, "%s %.2f, ", group, micros)));
        return text.toString();
    }

    static Run run(Path repo, Candidate candidate, int port, long messages, int size) throws Exception {
        Path work = Files.createTempDirectory("ws-bench-");
        Path out = Files.createDirectories(work.resolve("out"));
        int managementPort = freePort();
        List<String> command = javaCommand(candidate.name());
        command.addAll(candidate.jvmArgs);
        String variant = System.getenv("BENCH_VARIANT_ARGS");
        if (candidate == Candidate.KAMELET_VARIANT && variant != null && !variant.isBlank()) {
            command.addAll(List.of(variant.trim().split("\\s+")));
        }
        switch (candidate.kind) {
            case BARE -> command.addAll(List.of("-Dbench.stay=true", "-cp", System.getProperty("java.class.path"),
                    ThroughputCandidate.class.getName(), "vertx-bare", Integer.toString(port), Long.toString(messages),
                    out.toString()));
            case JAR -> {
                // the shipped properties as they are; only the ports are moved off the shipped ones, and the demo is off
                Files.copy(repo.resolve("application.properties"), work.resolve("application.properties"));
                writeRoute(work, candidate.route(port, out));
                command.addAll(List.of("-Dwslistener.demo.enabled=false", "-Dcamel.management.port=" + managementPort,
                        "-jar", repo.resolve("target/ws-listener.jar").toString()));
            }
            case HOST -> {
                String properties = Files.readString(repo.resolve("bench/host/application.properties"))
                        .replace("{{managementPort}}", Integer.toString(managementPort));
                Files.writeString(work.resolve("application.properties"), properties);
                writeRoute(work, candidate.route(port, out));
                command.addAll(List.of("-Dlog4j2.configurationFile=" + repo.resolve("bench/log4j2.properties"),
                        "-cp", System.getProperty("java.class.path"), HostApp.class.getName()));
            }
        }
        Path file = out.resolve("out.jsonl");
        long expectedBytes = messages * (size + 1);
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
        String note = "";
        try {
            long start = waitForFirstByte(file, process);
            Map<Long, Double> cpuBefore = ThreadCpu.sample(process.pid());
            long[] end = waitForSize(file, expectedBytes, process);
            Map<Long, Double> cpuAfter = ThreadCpu.sample(process.pid());
            Map<Long, String> names = ThreadCpu.names(process.pid());
            if (end[1] < expectedBytes) {
                note = "INCOMPLETE: " + end[1] + " of " + expectedBytes + " bytes when it went idle";
            }
            double seconds = (end[0] - start) / 1e9;
            double lines = (double) end[1] / (size + 1);
            Map<String, Double> cpu = new LinkedHashMap<>();
            ThreadCpu.byGroup(cpuBefore, cpuAfter, names).forEach((group, s) -> cpu.put(group, s * 1e6 / lines));
            Long metered = null;
            Long written = null;
            if (candidate.kind != Kind.BARE) {
                String metrics = scrape(managementPort);
                if (candidate != Candidate.STOCK) {
                    metered = sum(metrics, "wslistener_messages_received_total");
                    written = sum(metrics, "wslistener_sink_written_total");
                }
            }
            return new Run(lines / seconds, cpu, metered, written, finish(process, out, messages), note);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException(candidate.label + " failed; its console: " + work.resolve("console.log"), e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code java} and the JVM options of BENCH_CHILD_ARGS ({candidate} replaced), for a measured JVM. */
    static List<String> javaCommand(String candidate) {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        String childArgs = System.getenv("BENCH_CHILD_ARGS");
        if (childArgs != null && !childArgs.isBlank()) {
            command.addAll(List.of(childArgs.trim().replace("{candidate}", candidate.toLowerCase(Locale.ROOT))
                    .split("\\s+")));
        }
        return command;
    }

    private static OutputCheck finish(Process process, Path out, long messages) throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        OutputCheck check = OutputCheck.of(out, messages);
        BenchSupport.deleteTree(out.getParent());
        return check;
    }

    private static void writeRoute(Path work, String yaml) throws IOException {
        Files.createDirectories(work.resolve("routes"));
        Files.writeString(work.resolve("routes/bench.yaml"), yaml);
    }

    /** When the file first has a byte (System.nanoTime). */
    private static long waitForFirstByte(Path file, Process process) throws Exception {
        long deadline = System.nanoTime() + FIRST_BYTE_TIMEOUT.toNanos();
        while (size(file) == 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the candidate exited (" + process.exitValue() + ") before writing");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing written within " + FIRST_BYTE_TIMEOUT);
            }
            Thread.sleep(1);
        }
        return System.nanoTime();
    }

    /** When the file reached the size, or last grew before it went idle; and its size then. */
    private static long[] waitForSize(Path file, long expected, Process process) throws Exception {
        long lastSize = size(file);
        long lastGrowth = System.nanoTime();
        while (lastSize < expected) {
            Thread.sleep(1);
            long now = System.nanoTime();
            long current = size(file);
            if (current != lastSize) {
                lastSize = current;
                lastGrowth = now;
            } else if (now - lastGrowth > IDLE_TIMEOUT.toNanos() || !process.isAlive()) {
                break;
            }
        }
        return new long[] { lastGrowth, lastSize };
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static String scrape(int port) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/observe/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The sum of a Prometheus counter over all its label sets; null when the scrape has no such meter. */
    static Long sum(String metrics, String name) {
        double total = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? Math.round(total) : null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
