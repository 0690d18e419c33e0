package io.wslistener.bench;

import io.wslistener.testsupport.FaultProxy;
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
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;

/**
 * Scenario 2, half-open detection: the path of an open connection turns into a black hole (see {@link ProxyPath});
 * how long until ws-listener has noticed, reconnected, and delivered the first message of the new connection?
 * <p>
 * The server sends a 100-byte message every {@value #TICK_MILLIS} ms to every open connection. Each trial waits until
 * the connection has been open for {@code stableUptime} (so the backoff starts again from {@code initialDelay}) plus a
 * random part of a ping interval (so the black hole falls at a random point of the ping cycle), then breaks the path.
 * For context, the stock {@code vertx-websocket} consumer goes through the same once and is watched for a while.
 * <p>
 * Usage: {@code HalfOpenBenchmark [trials=20] [stockWatchSeconds=30] [seed]}
 */
public final class HalfOpenBenchmark {

    static final long TICK_MILLIS = 20;
    static final Duration INITIAL_DELAY = Duration.ofMillis(100);
    static final Duration STABLE_UPTIME = Duration.ofSeconds(1);
    static final long TARGET_SLACK_MILLIS = 300;

    private HalfOpenBenchmark() {
    }

    record KeepAliveConfig(Duration pingInterval, Duration pongTimeout) {
        String label() {
            return BenchSupport.millis(pingInterval) + " / " + BenchSupport.millis(pongTimeout);
        }

        long targetMillis() {
            return pingInterval.toMillis() + pongTimeout.toMillis() + TARGET_SLACK_MILLIS;
        }
    }

    /** One trial, in milliseconds after the black hole started. */
    record Trial(double noticedMs, double connectedMs, double deliveredMs) {
    }

    record StockOutcome(long watchedSeconds, int newHandshakes, long deliveredAfterFirstSecond, double lastDeliveryMs) {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int stockWatchSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : System.currentTimeMillis();
        Random random = new Random(seed);
        List<KeepAliveConfig> configs = List.of(
                new KeepAliveConfig(Duration.ofMillis(500), Duration.ofMillis(500)),
                new KeepAliveConfig(Duration.ofSeconds(5), Duration.ofSeconds(2)));

        Map<KeepAliveConfig, List<Trial>> results = new LinkedHashMap<>();
        StockOutcome stock;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try (TestWebSocketServer server = new TestWebSocketServer().start();
             ProxyPath path = new ProxyPath(server.port())) {
            AtomicLong sequence = new AtomicLong();
            ticker.scheduleAtFixedRate(() -> server.sendTexts(1, i -> BlastServer.message(sequence.incrementAndGet(), 100)),
                    TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            for (KeepAliveConfig config : configs) {
                results.put(config, wsListenerTrials(config, trials, path, random));
            }
            stock = stockOnce(path, stockWatchSeconds);
        } finally {
            ticker.shutdownNow();
        }
        System.out.println(table(results, stock, trials, seed));
        System.exit(0);
    }

    private static List<Trial> wsListenerTrials(KeepAliveConfig config, int trials, ProxyPath path, Random random)
            throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-halfopen");
        ConnectionEvents events = new ConnectionEvents();
        DeliveryProbe probe = new DeliveryProbe();
        String yaml = """
                - beans:
                    - name: benchPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        pingInterval: %s
                        pongTimeout: %s
                        initialDelay: %s
                        stableUptime: %s
                - route:
                    id: halfopen
                    routePolicy: benchPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:%d/"
                      steps:
                        - to: "kamelet:ws-file-sink?directory=%s&fileName=out.jsonl"
                        - process:
                            ref: probe
                """.formatted(BenchSupport.millis(config.pingInterval), BenchSupport.millis(config.pongTimeout),
                BenchSupport.millis(INITIAL_DELAY), BenchSupport.millis(STABLE_UPTIME), path.port(), dir);
        List<Trial> results = new ArrayList<>();
        CamelContext context = YamlRoutes.start(yaml, Map.of("events", events, "probe", probe));
        try {
            BenchSupport.require(Waiting.forValue(() -> probe.firstOfConnection(1), Duration.ofSeconds(10)), "no first message");
            for (int trial = 1; trial <= trials; trial++) {
                long connection = events.latestConnection();
                long openedAt = events.connectedAt(connection);
                long randomPart = (long) (random.nextDouble() * config.pingInterval.toNanos());
                Waiting.until(openedAt + STABLE_UPTIME.toNanos() + randomPart);
                BenchSupport.require(probe.firstOfConnection(connection), "no message on connection " + connection);

                long blackHoleAt = System.nanoTime();
                FaultProxy broken = path.breakCurrent();
                Duration budget = config.pingInterval.plus(config.pongTimeout).plusSeconds(10);
                long connectedAt = BenchSupport.require(Waiting.forValue(() -> events.connectedAt(connection + 1), budget),
                        "no reconnect within " + budget + " in trial " + trial);
                long deliveredAt = BenchSupport.require(Waiting.forValue(() -> probe.firstOfConnection(connection + 1),
                        Duration.ofSeconds(5)), "no message after the reconnect in trial " + trial);
                long noticedAt = BenchSupport.require(events.disconnectedAt(connection), "reconnected without a disconnect");
                ProxyPath.heal(broken);

                Trial result = new Trial(BenchSupport.ms(noticedAt - blackHoleAt), BenchSupport.ms(connectedAt - blackHoleAt),
                        BenchSupport.ms(deliveredAt - blackHoleAt));
                results.add(result);
                System.err.printf(Locale.ROOT, "halfopen %s trial %2d: noticed %6.0f ms, connected %6.0f ms, delivered %6.0f ms%n",
                        config.label(), trial, result.noticedMs, result.connectedMs, result.deliveredMs);
            }
        } finally {
            context.close();
            BenchSupport.deleteTree(dir);
        }
        return results;
    }

    /** The stock consumer over the same path, broken once: does it ever notice? */
    private static StockOutcome stockOnce(ProxyPath path, int watchSeconds) throws Exception {
        Path dir = Files.createTempDirectory("ws-bench-halfopen-stock");
        DeliveryProbe probe = new DeliveryProbe();
        String yaml = """
                - route:
                    id: halfopen-stock
                    from:
                      uri: "vertx-websocket:127.0.0.1:%d/?consumeAsClient=true"
                      steps:
                        - to: "kamelet:ws-file-sink?directory=%s&fileName=out.jsonl"
                        - process:
                            ref: probe
                """.formatted(path.port(), dir);
        CamelContext context = YamlRoutes.start(yaml, Map.of("probe", probe));
        try {
            BenchSupport.require(Waiting.forValue(() -> probe.delivered() > 0 ? Boolean.TRUE : null, Duration.ofSeconds(10)),
                    "stock consumer delivered nothing");
            Thread.sleep(1000);
            // connections the front proxy accepts are the consumer's attempts to reconnect
            long acceptedBefore = path.acceptedConnections();
            long blackHoleAt = System.nanoTime();
            FaultProxy broken = path.breakCurrent();
            Thread.sleep(1000);
            long deliveredAfterFirstSecond = probe.delivered();
            System.err.printf(Locale.ROOT, "halfopen stock: black hole started, watching for %d s%n", watchSeconds);
            Thread.sleep(TimeUnit.SECONDS.toMillis(watchSeconds) - 1000);
            int newHandshakes = (int) (path.acceptedConnections() - acceptedBefore);
            long late = probe.delivered() - deliveredAfterFirstSecond;
            double lastDeliveryMs = BenchSupport.ms(probe.lastAt() - blackHoleAt);
            ProxyPath.heal(broken);
            return new StockOutcome(watchSeconds, newHandshakes, late, lastDeliveryMs);
        } finally {
            context.close();
            BenchSupport.deleteTree(dir);
        }
    }

    static String table(Map<KeepAliveConfig, List<Trial>> results, StockOutcome stock, int trials, long seed) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%nHalf-open detection: %d trials per setting, initialDelay %s, stableUptime %s, "
                                             + "a %d-byte message every %d ms, random seed %d. Times in ms from the start of the black hole.%n%n",
                trials, BenchSupport.millis(INITIAL_DELAY), BenchSupport.millis(STABLE_UPTIME), 100, TICK_MILLIS, seed));
        md.append("| consumer | pingInterval / pongTimeout | noticed (socket abandoned) | reconnected | first message delivered | "
                  + "target: reconnected within | trials within target |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        results.forEach((config, list) -> {
            List<Double> connected = list.stream().map(Trial::connectedMs).toList();
            long within = connected.stream().filter(ms -> ms <= config.targetMillis()).count();
            md.append(String.format(Locale.ROOT, "| ws-listener | %s | %s | %s | %s | %,d ms | %d of %d |%n",
                    config.label(),
                    Stats.summary(list.stream().map(Trial::noticedMs).toList(), "%,.0f"),
                    Stats.summary(connected, "%,.0f"),
                    Stats.summary(list.stream().map(Trial::deliveredMs).toList(), "%,.0f"),
                    config.targetMillis(), within, list.size()));
        });
        boolean reconnected = stock.newHandshakes > 0;
        md.append(String.format(Locale.ROOT, "| stock vertx-websocket (once) | none (no keep-alive) | %s | %s | %s | - | - |%n",
                reconnected ? "-" : "not noticed in " + stock.watchedSeconds + " s",
                reconnected ? stock.newHandshakes + " new connection(s) in " + stock.watchedSeconds + " s"
                        : "never: 0 new connections in " + stock.watchedSeconds + " s",
                String.format(Locale.ROOT, "%d messages in seconds 1-%d (last at %,.0f ms)", stock.deliveredAfterFirstSecond,
                        stock.watchedSeconds, stock.lastDeliveryMs)));
        return md.toString();
    }
}
