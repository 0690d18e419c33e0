package io.wslistener.sink.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.wslistener.sink.SinkFailure;
import io.wslistener.sink.SinkFiles;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: a 256 KiB tmpfs (skipped where mounting is not allowed). The sink holds the route and retries
 * instead of dead-lettering to the same disk, keeps the file at a record boundary through partial writes, logs one line
 * at the start of the episode and one at its end, reports the sink DOWN meanwhile, and goes on once there is room.
 */
class FileSinkDiskFullTest {

    private static final String PADDING = "x".repeat(200);

    @TempDir
    Path dir;
    private Path disk;
    private CamelContext context;
    private ExecutorService sender;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()),
                "mounting a tmpfs is not permitted here");
        sender = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void unmount() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (sender != null) {
            sender.shutdownNow();
        }
        run("umount", disk.toString());
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    private static String message(int n) {
        return "{\"n\":" + n + ",\"pad\":\"" + PADDING + "\"}";
    }

    @Test
    void aFullDiskHoldsTheFeedAndGoesOnAtARecordBoundaryWhenThereIsRoomAgain() throws Exception {
        // leave about 40 KiB: a few hundred records fit, the rest must wait
        Path filler = disk.resolve("filler");
        Files.write(filler, new byte[216 * 1024]);
        context = YamlCamel.create().property("disk", disk).property("dl", dir.resolve("dead-letter"))
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "sink-file:{{disk}}?fileName=feed.jsonl&flushEvery=25&flushInterval=0&bufferSize=8192&initialDelay=20ms&maxDelay=200ms&deadLetterDirectory={{dl}}"
                        """);
        FileSinkEndpoint sink = (FileSinkEndpoint) context.getEndpoints().stream()
                .filter(FileSinkEndpoint.class::isInstance).findFirst().orElseThrow();
        int count = 1000;
        ProducerTemplate template = context.createProducerTemplate();
        Future<?> sent;
        try (LogCapture log = new LogCapture(SinkFailure.class.getName())) {
            sent = sender.submit(() -> {
                for (int n = 1; n <= count; n++) {
                    // a batch ends every 50 messages, as the consumer marks it when nothing else waits
                    template.sendBodyAndProperty("direct:in", message(n), ExchangePropertyKey.BATCH_COMPLETE.getName(),
                            n % 50 == 0);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(sink::isFailing);
            assertFalse(sent.isDone(), "the route is held while the disk is full");
            HealthCheck.Result health = HealthCheckHelper.invoke(context).stream()
                    .filter(r -> r.getCheck().getId().equals(SinkFailure.GROUP + ":sink-file:" + disk)).findFirst()
                    .orElseThrow();
            assertEquals(HealthCheck.State.DOWN, health.getState(), String.valueOf(health.getMessage()));
            List<String> whileFull = SinkFiles.lines(disk.resolve("feed.jsonl"));
            assertTrue(Files.readString(disk.resolve("feed.jsonl")).endsWith("\n"),
                    "the file ends at a record boundary");
            assertEquals(expected(1, whileFull.size()), whileFull);

            Files.delete(filler);
            sent.get(30, TimeUnit.SECONDS);
            context.stop();
            context = null;

            assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARN ")).count(), log.lines().toString());
            assertEquals(1, log.lines().stream().filter(l -> l.startsWith("INFO ") && l.contains("again")).count(),
                    log.lines().toString());
        }
        assertEquals(expected(1, count), SinkFiles.lines(disk.resolve("feed.jsonl")),
                "every record once, in order: nothing glued, nothing duplicated");
        assertEquals(List.of(), SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl"));
    }

    @Test
    void aStopWhileTheDiskIsFullDeadLettersWhatTheSinkHeldWithinTheStopBudget() throws Exception {
        Path filler = disk.resolve("filler");
        Files.write(filler, new byte[240 * 1024]);
        context = YamlCamel.create().property("disk", disk).property("dl", dir.resolve("dead-letter"))
                .configure(c -> c.getShutdownStrategy().setTimeout(4))
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "sink-file:{{disk}}?fileName=feed.jsonl&flushEvery=10&flushInterval=0&initialDelay=20ms&maxDelay=200ms&deadLetterDirectory={{dl}}"
                        """);
        FileSinkEndpoint sink = (FileSinkEndpoint) context.getEndpoints().stream()
                .filter(FileSinkEndpoint.class::isInstance).findFirst().orElseThrow();
        ProducerTemplate template = context.createProducerTemplate();
        Future<?> sent = sender.submit(() -> {
            for (int n = 1; n <= 200; n++) {
                template.sendBody("direct:in", message(n));
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(sink::isFailing);
        context.stop();
        boolean forced = context.getShutdownStrategy().hasTimeoutOccurred();
        context = null;

        assertFalse(forced, "the sink gave up within the budget, so Camel never had to force the stop");
        List<String> written = SinkFiles.lines(disk.resolve("feed.jsonl"));
        List<Object> deadLettered = new ArrayList<>();
        SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl")
                .forEach(l -> deadLettered.add(DeadLetterRecord.originalMessage(l)));
        assertFalse(deadLettered.isEmpty());
        List<Object> all = new ArrayList<>(written);
        all.addAll(deadLettered);
        // every message that reached the sink is in the file or in the dead letter, once, in order; the route's later
        // messages were refused by the stopping route itself (direct: no consumer), never half taken
        assertEquals(new ArrayList<>(expected(1, all.size())), all);
        assertTrue(sent.isDone() || !sent.isCancelled());
    }

    private static List<String> expected(int from, int to) {
        List<String> messages = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            messages.add(message(n));
        }
        return messages;
    }
}
