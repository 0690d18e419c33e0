package io.wslistener.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wslistener.testsupport.FeedFiles;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.TestWebSocketServer;

/**
 * How long {@code java -jar target/ws-listener.jar} takes to exit after SIGTERM (or SIGKILL) in each kind of stop, and
 * where the messages went: each stop in a fresh folder with the shipped {@code application.properties} (the demo off,
 * the management port moved, {@code shutdownTimeout} as the row says) and a route written as the docs show it, fed by
 * the test suite's {@link TestWebSocketServer}. The exit time runs from the signal to the end of the process; the counts
 * come from the server (what it had sent before it saw the close frame) and the files (the sink's, its dead letter's,
 * the undelivered file's), never from the process itself.
 */
public final class ShippedStops {

    private static final String PAD = "x".repeat(80);

    private ShippedStops() {
    }

    /** What one stop left behind. */
    private record Outcome(long exitMillis, long inFlight, long sentBeforeClose, long inSink, long kept,
                           String note) {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        List<String> kinds = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("graceful", "short-budget", "stalled-http", "stuck-route", "disk-full", "kill");
        System.out.println();
        System.out.println("| stop | shutdownTimeout | in flight at the signal | exit after the signal | sent before the"
                + " close frame | in the sink | in a dead letter or the undelivered file | lost |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String kind : kinds) {
            System.err.println("stop: " + kind);
            Outcome o = switch (kind) {
                case "graceful" -> busyFeed(repo, 25, false);
                case "short-budget" -> busyFeed(repo, 5, false);
                case "kill" -> busyFeed(repo, 25, true);
                case "stalled-http" -> stalledHttpSink(repo, 25);
                case "stuck-route" -> stuckRoute(repo, 5);
                case "disk-full" -> diskFull(repo, 25);
                default -> throw new IllegalArgumentException("unknown stop " + kind);
            };
            long lost = o.sentBeforeClose() < 0 ? -1 : o.sentBeforeClose() - o.inSink() - o.kept();
            System.out.printf("| %s | %s | %,d | %.1f s | %s | %,d | %,d | %s |%n", kind + o.note(),
                    kind.equals("short-budget") || kind.equals("stuck-route") ? "5 s" : "25 s", o.inFlight(),
                    o.exitMillis() / 1000.0, o.sentBeforeClose() < 0 ? "-" : String.format("%,d", o.sentBeforeClose()),
                    o.inSink(), o.kept(), lost < 0 ? "-" : String.format("%,d", lost));
        }
    }

    /**
     * A feed that blasts 100-byte messages at a route taking 2,000 a second into the file sink kamelet; the signal comes
     * with 30,000 or more in flight (sent and not yet in the file). SIGKILL when {@code kill}.
     */
    private static Outcome busyFeed(Path repo, int shutdownTimeout, boolean kill) throws Exception {
        try (TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(1 << 20)) {
            feed.autoSendOnConnect(Integer.MAX_VALUE, i -> "{\"seq\":" + i + ",\"pad\":\"" + PAD + "\"}").start();
            Path work = Files.createTempDirectory("ws-stops-");
            Path data = work.resolve("data");
            route(work, """
                    - route:
                        id: busy-feed
                        from:
                          uri: "ws-listener:127.0.0.1:%d/feed"
                          steps:
                            - throttle:
                                expression:
                                  constant: 200
                                timePeriodMillis: 100
                            - to: "kamelet:ws-file-sink?directory=%s&fileName=feed.jsonl"
                    """.formatted(feed.port(), data));
            Process app = start(repo, work, shutdownTimeout, List.of());
            try {
                awaitOpen(feed, app);
                Waiting.forValue(() -> feed.lastConnection().messagesSent() - FeedFiles.lines(data).size() >= 30_000 ? true
                        : null, Duration.ofSeconds(120));
                long inFlight = feed.lastConnection().messagesSent() - FeedFiles.lines(data).size();
                long exit = signal(app, kill);
                List<Long> sink = FeedFiles.sequences(data);
                List<Long> kept = FeedFiles.deadLetteredSequences(work.resolve("undelivered"));
                long sent = kill ? -1 : feed.lastConnection().sentBeforeCloseFrame();
                return new Outcome(exit, inFlight, sent, sink.size(), kept.size(), order(sink, kept));
            } finally {
                app.destroyForcibly();
            }
        }
    }

    /**
     * Issue 24's stop: 256 KiB messages, {@code -Xmx256m}, the HTTP sink kamelet in front of a server that accepts the
     * request and never answers; the signal comes 3 s after the first request arrived.
     */
    private static Outcome stalledHttpSink(Path repo, int shutdownTimeout) throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        CountDownLatch posted = new CountDownLatch(1);
        try (TestWebSocketServer feed = new TestWebSocketServer().writeQueueMaxSize(4 << 20);
             HttpTestServer ingest = new HttpTestServer()) {
            feed.start();
            ingest.start().onRequest(n -> {
                posted.countDown();
                try {
                    answer.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Path work = Files.createTempDirectory("ws-stops-");
            route(work, """
                    - route:
                        id: held-feed
                        from:
                          uri: "ws-listener:127.0.0.1:%d/feed"
                          steps:
                            - to: "kamelet:ws-http-sink?url=%s&name=ingest&deadLetterDirectory=%s"
                    """.formatted(feed.port(), ingest.url("/ingest"), work.resolve("dead-letter")));
            Process app = start(repo, work, shutdownTimeout, List.of("-Xmx256m"));
            try {
                awaitOpen(feed, app);
                String pad = "x".repeat(256 * 1024);
                feed.sendTexts(2_000, i -> "{\"seq\":" + i + ",\"pad\":\"" + pad + "\"}");
                posted.await(60, TimeUnit.SECONDS);
                Waiting.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
                long sentBefore = feed.lastConnection().messagesSent();
                long exit = signal(app, false);
                List<Long> kept = FeedFiles.deadLetteredSequences(work.resolve("dead-letter"));
                kept.addAll(FeedFiles.deadLetteredSequences(work.resolve("undelivered")));
                kept.sort(null);
                return new Outcome(exit, sentBefore, feed.lastConnection().sentBeforeCloseFrame(), 0, kept.size(),
                        "");
            } finally {
                answer.countDown();
                app.destroyForcibly();
            }
        }
    }

    /**
     * A route that never returns from its first message (a {@code delay} of ten minutes) with 10,000 more received:
     * Camel forces the stop at its timeout; what the stuck thread holds cannot be written.
     */
    private static Outcome stuckRoute(Path repo, int shutdownTimeout) throws Exception {
        try (TestWebSocketServer feed = new TestWebSocketServer()) {
            feed.start();
            Path work = Files.createTempDirectory("ws-stops-");
            route(work, """
                    - route:
                        id: stuck
                        from:
                          uri: "ws-listener:127.0.0.1:%d/feed"
                          steps:
                            - delay:
                                expression:
                                  constant: 600000
                    """.formatted(feed.port()));
            Process app = start(repo, work, shutdownTimeout, List.of("-Dwslistener.maxInFlight=20000"));
            try {
                awaitOpen(feed, app);
                feed.sendTexts(10_001, i -> "{\"seq\":" + i + ",\"pad\":\"" + PAD + "\"}").get(60, TimeUnit.SECONDS);
                long exit = signal(app, false);
                List<Long> kept = FeedFiles.deadLetteredSequences(work.resolve("undelivered"));
                return new Outcome(exit, 10_001, feed.lastConnection().sentBeforeCloseFrame(), 0, kept.size(), "");
            } finally {
                app.destroyForcibly();
            }
        }
    }

    /**
     * The file sink's directory on a full 256 KiB tmpfs (the sink holds the route and retries), its dead letter on
     * another disk; the signal comes once the disk is full and 1,000 messages wait. Needs mount (root).
     */
    private static Outcome diskFull(Path repo, int shutdownTimeout) throws Exception {
        Path work = Files.createTempDirectory("ws-stops-");
        Path disk = Files.createDirectories(work.resolve("disk"));
        if (new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()).inheritIO()
                .start().waitFor() != 0) {
            return new Outcome(0, 0, -1, 0, 0, " (skipped: mounting a tmpfs is not permitted)");
        }
        try (TestWebSocketServer feed = new TestWebSocketServer()) {
            feed.start();
            route(work, """
                    - route:
                        id: full
                        from:
                          uri: "ws-listener:127.0.0.1:%d/feed"
                          steps:
                            - to: "kamelet:ws-file-sink?directory=%s&fileName=feed.jsonl&deadLetterDirectory=%s"
                    """.formatted(feed.port(), disk, work.resolve("dead-letter")));
            Process app = start(repo, work, shutdownTimeout, List.of());
            try {
                awaitOpen(feed, app);
                // about 3,000 messages fill 256 KiB; the rest wait in the sink and the hand-off
                feed.sendTexts(4_000, i -> "{\"seq\":" + i + ",\"pad\":\"" + PAD + "\"}");
                Waiting.forValue(() -> feed.lastConnection().messagesSent() == 4_000 ? true : null,
                        Duration.ofSeconds(60));
                Waiting.until(System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
                long inFlight = 4_000 - FeedFiles.lines(disk).size();
                long exit = signal(app, false);
                List<Long> sink = FeedFiles.sequences(disk);
                List<Long> kept = FeedFiles.deadLetteredSequences(work.resolve("dead-letter"));
                kept.addAll(FeedFiles.deadLetteredSequences(work.resolve("undelivered")));
                return new Outcome(exit, inFlight, feed.lastConnection().sentBeforeCloseFrame(), sink.size(),
                        kept.size(), "");
            } finally {
                app.destroyForcibly();
            }
        } finally {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
        }
    }

    private static void route(Path work, String yaml) throws IOException {
        Files.createDirectories(work.resolve("routes"));
        Files.writeString(work.resolve("routes/stops.yaml"), yaml);
    }

    /** The shipped jar in {@code work}, with the shipped properties and the test's overrides. */
    private static Process start(Path repo, Path work, int shutdownTimeout, List<String> jvmOptions)
            throws IOException {
        Files.copy(repo.resolve("application.properties"), work.resolve("application.properties"));
        List<String> command = ShippedThroughput.javaCommand("stops");
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dwslistener.demo.enabled=false", "-Dwslistener.summary.interval=0",
                "-Dcamel.management.port=" + ShippedThroughput.freePort(),
                "-Dcamel.main.shutdownTimeout=" + shutdownTimeout,
                "-Dwslistener.undelivered.directory=" + work.resolve("undelivered"),
                "-jar", repo.resolve("target/ws-listener.jar").toString()));
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile()).start();
    }

    private static void awaitOpen(TestWebSocketServer feed, Process app) throws InterruptedException {
        BenchSupport.require(Waiting.forValue(() -> feed.openSockets() == 1 || !app.isAlive() ? true : null,
                Duration.ofSeconds(60)), "the application did not connect");
        BenchSupport.require(app.isAlive() ? true : null, "the application exited");
    }

    /** SIGTERM (or SIGKILL), then the time until the process is gone, in ms. */
    private static long signal(Process app, boolean kill) throws InterruptedException {
        long start = System.nanoTime();
        if (kill) {
            app.destroyForcibly();
        } else {
            app.destroy();
        }
        BenchSupport.require(app.waitFor(120, TimeUnit.SECONDS) ? true : null, "no exit within 120 s");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** " (not in order at i)" when the sink's and the kept messages together are not 1, 2, 3, ... once each. */
    private static String order(List<Long> sink, List<Long> kept) {
        List<Long> all = new ArrayList<>(sink);
        all.addAll(kept);
        int gap = FeedFiles.firstGap(all);
        return gap < 0 ? "" : " (not in order at " + gap + ")";
    }
}
