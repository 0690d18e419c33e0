package io.wslistener.bench;

import io.wslistener.testsupport.TestWebSocketServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;

/**
 * Scenario 3, reconnect latency: the server goes away (every TCP connection dropped, port closed), stays down for a
 * while, and listens again on the same port. How long from "listening again" to the first message delivered?
 * <p>
 * A down time other than 0 gets a random 0-1 s added in each trial (a consumer that retries at a fixed interval would
 * otherwise fall in step with the benchmark's own timing). The server sends one message to every new connection, so
 * "first message delivered" is connect + one message through the file sink; it also sends a message every
 * {@code TICK_MILLIS} ms to every open connection, because the stock consumer misses a message sent right at the
 * handshake (it registers its handlers after the connect completes, on another thread).
 * <p>
 * Each trial waits until the connection has been open for {@code stableUptime} (so the ws-listener backoff starts
 * again from {@code initialDelay}) plus up to 200 ms at random. The baseline is the stock {@code vertx-websocket}
 * consumer: it retries once at once when it sees the close, then every {@code reconnectInterval} (1 s by default).
 * <p>
 * Usage: {@code ReconnectBenchmark [trials=10] [downSeconds=0,5] [seed]}
 */
public final class ReconnectBenchmark {

    static final Duration STABLE_UPTIME = Duration.ofSeconds(1);
    static final long TICK_MILLIS = Long.getLong("bench.tickMillis", 10);

    private ReconnectBenchmark() {
    }

    /** A consumer under test: ws-listener with an initial delay (the other backoff settings at their defaults), or stock. */
    record Candidate(String name, Duration initialDelay) {
        boolean stock() {
            return initialDelay == null;
        }

        String backoff() {
            return stock() ? "reconnectInterval 1s (fixed), first retry at once"
                    : "initialDelay " + BenchSupport.millis(initialDelay) + ", multiplier 2, maxDelay 30s, jitter 0.2";
        }
    }

    /** One trial, in ms after the server listened again; connectedMs is NaN for the stock consumer (not observable). */
    record Trial(double connectedMs, double deliveredMs) {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        List<Double> downSeconds = List.of(args.length > 1 ? args[1] : "0,5").stream()
                .flatMap(s -> List.of(s.split(",")).stream()).map(Double::valueOf).toList();
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.currentTimeMillis();
        Random random = new Random(seed);
        List<Candidate> candidates = List.of(new Candidate("ws-listener", Duration.ofSeconds(1)),
                new Candidate("ws-listener", Duration.ofMillis(100)), new Candidate("stock vertx-websocket", null));

        Map<String, List<Trial>> results = new LinkedHashMap<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try (TestWebSocketServer server = new TestWebSocketServer()) {
            server.autoSendOnConnect(1, i -> BlastServer.message(i, 100)).start();
            if (TICK_MILLIS > 0) {
                ticker.scheduleAtFixedRate(() -> {
                    if (server.isRunning()) {
                        server.sendTexts(1, i -> BlastServer.message(0, 100));
                    }
                }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
            for (double down : downSeconds) {
                for (Candidate candidate : candidates) {
                    results.put(key(candidate, down), trials(candidate, server, down, trials, random));
                }
            }
        } finally {
            ticker.shutdownNow();
        }
        System.out.println(table(candidates, downSeconds, results, trials, seed));
        System.exit(0);
    }

    private static List<Trial> trials(Candidate candidate, TestWebSocketServer server, double downSeconds, int trials,
                                      Random random) throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-reconnect");
        ConnectionEvents events = new ConnectionEvents();
        DeliveryProbe probe = new DeliveryProbe();
        CamelContext context = YamlRoutes.start(route(candidate, server.port(), dir), Map.of("events", events, "probe", probe));
        List<Trial> results = new ArrayList<>();
        try {
            probe.mark(Long.MIN_VALUE);
            long connectedAt = BenchSupport.require(Waiting.forValue(probe::firstAfterMark, Duration.ofSeconds(10)),
                    "no first message");
            for (int trial = 1; trial <= trials; trial++) {
                long connection = events.latestConnection();
                Waiting.until(connectedAt + STABLE_UPTIME.toNanos() + (long) (random.nextDouble() * 200_000_000L));

                server.stop();
                // a random second on top, or the stock consumer's fixed 1 s retries would fall in step with the restart
                double down = downSeconds == 0 ? 0 : downSeconds + random.nextDouble();
                Thread.sleep((long) (down * 1000));
                long listenAt = System.nanoTime();
                probe.mark(listenAt);
                server.start(server.port());
                Long delivered = BenchSupport.require(Waiting.forValue(probe::firstAfterMark, Duration.ofSeconds(90)),
                        "no message within 90 s of the restart in trial " + trial);
                Long connected = candidate.stock() ? null : events.connectedAt(connection + 1);
                Trial result = new Trial(connected == null ? Double.NaN : BenchSupport.ms(connected - listenAt),
                        BenchSupport.ms(delivered - listenAt));
                results.add(result);
                connectedAt = connected == null ? delivered : connected;
                System.err.printf(Locale.ROOT, "reconnect %s, %s, down %.1f s, trial %2d: connected %6.0f ms, delivered %6.0f ms%n",
                        candidate.name, candidate.stock() ? "stock" : BenchSupport.millis(candidate.initialDelay),
                        down, trial, result.connectedMs, result.deliveredMs);
            }
        } finally {
            context.close();
            BenchSupport.deleteTree(dir);
        }
        return results;
    }

    private static String route(Candidate candidate, int port, Path dir) {
        String steps = """
                      steps:
                        - to: "kamelet:ws-file-sink?directory=%s&fileName=out.jsonl"
                        - process:
                            ref: probe
                """.formatted(dir);
        if (candidate.stock()) {
            return """
                    - route:
                        from:
                          uri: "vertx-websocket:127.0.0.1:%d/?consumeAsClient=true"
                    %s""".formatted(port, steps);
        }
        return """
                - beans:
                    - name: benchPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        initialDelay: %s
                        stableUptime: %s
                - route:
                    routePolicy: benchPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:%d/"
                %s""".formatted(BenchSupport.millis(candidate.initialDelay), BenchSupport.millis(STABLE_UPTIME),
                port, steps);
    }

    private static String key(Candidate candidate, double down) {
        return candidate + "@" + down;
    }

    static String table(List<Candidate> candidates, List<Double> downSeconds, Map<String, List<Trial>> results, int trials,
                        long seed) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nReconnect latency: %d trials per row, stableUptime %s, random seed %d. "
                                             + "Times in ms from the server listening again.%n%n", trials,
                BenchSupport.millis(STABLE_UPTIME), seed));
        md.append("| server down for | consumer | backoff | reconnected | first message delivered | ratio to stock (medians) "
                  + "| target: median under |\n");
        md.append("| ---: | --- | --- | ---: | ---: | ---: | --- |\n");
        for (double down : downSeconds) {
            Candidate stockCandidate = candidates.stream().filter(Candidate::stock).findFirst().orElseThrow();
            double stockMedian = Stats.median(delivered(results.get(key(stockCandidate, down))));
            for (Candidate candidate : candidates) {
                List<Trial> list = results.get(key(candidate, down));
                List<Double> delivered = delivered(list);
                List<Double> connected = list.stream().map(Trial::connectedMs).filter(d -> !d.isNaN()).toList();
                String target = "-";
                if (!candidate.stock() && down > 0) {
                    target = "n/a: the outage outlasts the first delays, the backoff schedule decides";
                } else if (!candidate.stock()) {
                    long limit = candidate.initialDelay.toMillis() + 200;
                    target = String.format(Locale.ROOT, "%,d ms: %s", limit, Stats.median(delivered) < limit ? "met" : "missed");
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n",
                        down == 0 ? "0 s (stop, then start at once)"
                                : String.format(Locale.ROOT, "%.0f-%.0f s (random)", down, down + 1),
                        candidate.name, candidate.backoff(),
                        connected.isEmpty() ? "-" : Stats.summary(connected, "%,.0f"),
                        Stats.summary(delivered, "%,.0f"),
                        candidate.stock() ? "1.00" : String.format(Locale.ROOT, "%.2f", Stats.median(delivered) / stockMedian),
                        target));
            }
        }
        return md.toString();
    }

    private static List<Double> delivered(List<Trial> trials) {
        return trials.stream().map(Trial::deliveredMs).toList();
    }
}
