package io.wslistener.sink.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.testsupport.AppInstance;
import io.wslistener.testsupport.TestWebSocketServer;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill -9 line of the stop contract (docs/sinks.md), with a real SIGKILL: the standalone application, in a JVM of
 * its own, writes a fast feed through {@code kamelet:ws-file-sink} (durability as shipped) and is killed while the feed
 * is still sending and the file is growing; a second instance starts on the same directory and file, receives more and
 * is stopped gracefully. Every line of the file is then a whole JSON record (a record the kill cut short is cut off, and
 * logged, by the second instance); the second run's records start on a line of their own with its first message, and
 * each run's sequence is 1, 2, 3, ... without duplicates.
 * <p>
 * Whether the kill tears a line is up to timing: the sink writes only whole records from its buffer, so a line is torn
 * only when the SIGKILL lands inside the kernel's copy of one write. The records are made large (about 20 KB) to give
 * that a chance; the test prints whether it happened.
 */
class FileSinkKillIT {

    private static final String PAD = "x".repeat(20_000);
    private static final int SECOND_RUN = 300;

    @TempDir
    Path dir;

    private volatile int run = 1;
    private final List<AppInstance> instances = new ArrayList<>();

    @AfterEach
    void noJvmLeftRunning() throws Exception {
        for (AppInstance instance : instances) {
            instance.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void afterAKillAndARestartOnTheSameFileEveryRecordIsWholeAndTheNewRunStartsOnALineOfItsOwn() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve("feed.jsonl");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("feed.yaml"), """
                - route:
                    id: killed-feed
                    from:
                      uri: "{{feed.uri}}"
                      steps:
                        - to: "kamelet:ws-file-sink?directory={{feed.dataDir}}&fileName=feed.jsonl"
                """);
        try (TestWebSocketServer server = new TestWebSocketServer().start()) {
            // as fast as the socket drains, each connection from 1; "run" tells the two instances' records apart
            server.autoSendOnConnect(1_000_000, i -> "{\"run\":" + run + ",\"seq\":" + i + ",\"pad\":\"" + PAD + "\"}");
            Path properties = properties(server.port(), data);

            AppInstance first = start("first", properties, routes);
            await("the first instance writes").atMost(Duration.ofSeconds(40)).until(() -> size(file) > 4_000_000);
            assertEquals(1, server.openSockets(), "the feed is still sending when the kill comes\n" + first.logTail());
            first.kill();
            assertEquals(137, first.awaitExit(), "killed by SIGKILL (128 + 9)");
            await("the server saw the socket go").atMost(Duration.ofSeconds(10)).until(() -> server.openSockets() == 0);
            long sizeAtKill = size(file);

            run = 2;
            server.autoSendOnConnect(SECOND_RUN, i -> "{\"run\":2,\"seq\":" + i + ",\"pad\":\"" + PAD + "\"}");
            AppInstance second = start("second", properties, routes);
            await("the second instance writes all it got").atMost(Duration.ofSeconds(40))
                    .until(() -> contains(file, "{\"run\":2,\"seq\":" + SECOND_RUN + ","));
            second.stopGracefully();
            second.awaitExit();

            boolean tornLogged = second.logText().contains("ended in a torn line");
            System.out.printf("kill -9 test: %d bytes at the kill, torn line logged on restart: %s%n", sizeAtKill,
                    tornLogged);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Integer> unparsable = new ArrayList<>();
            List<JsonObject> records = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                JsonObject record = parse(lines.get(i));
                if (record == null) {
                    unparsable.add(i);
                } else {
                    records.add(record);
                }
            }
            List<Long> firstRun = seqs(records, 1);
            List<Long> secondRun = seqs(records, 2);
            String context = "lines: " + lines.size() + ", unparsable at " + unparsable + ", torn logged: " + tornLogged
                    + "\n" + first.logTail() + "\n" + second.logTail();

            assertTrue(!firstRun.isEmpty(), context);
            assertEquals(sequence(firstRun.size()), firstRun, "the first run, in order, once each\n" + context);
            assertEquals(sequence(SECOND_RUN), secondRun, "the second run, in order, once each\n" + context);
            int boundary = firstRun.size();
            assertEquals(List.of(), unparsable, "every line is a whole JSON record\n" + context);
            JsonObject firstOfSecondRun = parse(lines.get(boundary));
            assertTrue(firstOfSecondRun != null && "2".equals(String.valueOf(firstOfSecondRun.get("run")))
                    && "1".equals(String.valueOf(firstOfSecondRun.get("seq"))),
                    "the second run starts on a line of its own with its first record\n" + context);
        }
    }

    private AppInstance start(String name, Path properties, Path routes) throws IOException {
        AppInstance instance = AppInstance.start(name, dir, properties, "--routes", routes.toString());
        instances.add(instance);
        return instance;
    }

    /** The shipped properties, the demo off, the feed at the test server, a free management port. */
    private Path properties(int feedPort, Path data) throws IOException {
        return AppInstance.shippedProperties(dir, "feed.uri = ws-listener:127.0.0.1:" + feedPort + "/feed",
                "feed.dataDir = " + data, "camel.management.port = " + AvailablePortFinder.getNextAvailable(),
                "wslistener.summary.interval = 0");
    }

    private static JsonObject parse(String line) {
        try {
            return Jsoner.deserialize(line) instanceof JsonObject object ? object : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static List<Long> seqs(List<JsonObject> records, int run) {
        return records.stream().filter(r -> String.valueOf(run).equals(String.valueOf(r.get("run"))))
                .map(r -> Long.parseLong(String.valueOf(r.get("seq")))).toList();
    }

    private static List<Long> sequence(int n) {
        List<Long> expected = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            expected.add(i);
        }
        return expected;
    }

    /** True once a line of the file starts with this text. */
    private static boolean contains(Path file, String start) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.startsWith(start));
        }
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

}
