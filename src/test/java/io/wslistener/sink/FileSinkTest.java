package io.wslistener.sink;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.sink.file.FileSinkEndpoint;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSinkTest {

    @TempDir
    Path dir;

    private static List<String> messages(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> "{\"n\":" + n + "}").toList();
    }

    private CamelContext directRoute(String sinkUri, Object... beans) throws Exception {
        YamlCamel camel = YamlCamel.create().property("dir", dir);
        for (int i = 0; i < beans.length; i += 2) {
            camel.bean((String) beans[i], beans[i + 1]);
        }
        return camel.start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "%s"
                """.formatted(sinkUri));
    }

    @Test
    void hundredThousandMessagesLandInOrder() throws Exception {
        CamelContext context = directRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl");
        ProducerTemplate template = context.createProducerTemplate();
        int count = 100_000;
        for (int i = 1; i <= count; i++) {
            template.sendBody("direct:in", "{\"n\":" + i + "}");
        }
        context.stop();

        assertEquals(messages(1, count), Files.readAllLines(dir.resolve("feed.jsonl"), StandardCharsets.UTF_8));
    }

    @Test
    void rollsToANewFileWhenTheDateChanges() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T23:59:58Z"));
        CamelContext context = directRoute("sink-file:{{dir}}?fileName=feed-{date}.jsonl&timeZone=UTC&clock=#clock",
                "clock", clock);
        ProducerTemplate template = context.createProducerTemplate();
        messages(1, 3).forEach(m -> template.sendBody("direct:in", m));
        clock.advance(Duration.ofSeconds(3));
        messages(4, 6).forEach(m -> template.sendBody("direct:in", m));
        context.stop();

        assertEquals(messages(1, 3), SinkFiles.lines(dir.resolve("feed-2025-03-01.jsonl")));
        assertEquals(messages(4, 6), SinkFiles.lines(dir.resolve("feed-2025-03-02.jsonl")));
        assertEquals(2, SinkFiles.files(dir, ".jsonl").size());
    }

    @Test
    void rollsToNumberedFilesWhenTheSizeLimitIsReached() throws Exception {
        CamelContext context = directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&maxFileSize=100");
        ProducerTemplate template = context.createProducerTemplate();
        List<String> sent = messages(1000, 1099);
        sent.forEach(m -> template.sendBody("direct:in", m));
        context.stop();

        List<Path> files = new ArrayList<>(SinkFiles.files(dir, ".jsonl"));
        files.sort(Comparator.comparingInt(FileSinkTest::sizeIndex));
        assertEquals(dir.resolve("feed.jsonl"), files.get(0));
        assertEquals(dir.resolve("feed.1.jsonl"), files.get(1));
        assertEquals(dir.resolve("feed.11.jsonl"), files.get(11));
        assertEquals(12, files.size(), "100 records of 11 bytes, 9 per 100-byte file");
        List<String> all = new ArrayList<>();
        for (Path file : files) {
            assertTrue(Files.size(file) <= 100, file + " has " + Files.size(file) + " bytes");
            all.addAll(SinkFiles.lines(file));
        }
        assertEquals(sent, all);
    }

    private static int sizeIndex(Path file) {
        String[] parts = file.getFileName().toString().split("\\.");
        return parts.length == 3 ? Integer.parseInt(parts[1]) : 0;
    }

    @Test
    void rawFormatWritesLengthDelimitedRecords() throws Exception {
        CamelContext context = directRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.bin&format=raw");
        ProducerTemplate template = context.createProducerTemplate();
        byte[] binary = { 0, 1, 2, (byte) 0xff, '\n', 0 };
        template.sendBody("direct:in", binary);
        template.sendBody("direct:in", "text é");
        template.sendBody("direct:in", new byte[0]);
        context.stop();

        List<byte[]> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve("feed.bin"));
                DataInputStream data = new DataInputStream(in)) {
            while (true) {
                int length;
                try {
                    length = data.readInt();
                } catch (EOFException end) {
                    break;
                }
                byte[] record = new byte[length];
                data.readFully(record);
                records.add(record);
            }
        }
        assertEquals(3, records.size());
        assertArrayEquals(binary, records.get(0));
        assertArrayEquals("text é".getBytes(StandardCharsets.UTF_8), records.get(1));
        assertArrayEquals(new byte[0], records.get(2));
    }

    @Test
    void jsonLinesKeepsEveryMessageOnOneLine() throws Exception {
        CamelContext context = directRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl");
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("direct:in", "{\n  \"pretty\": true\n}");
        template.sendBody("direct:in", "not json, \"quoted\"\nsecond line");
        template.sendBody("direct:in", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        template.sendBody("direct:in", "{\"broken\":");
        context.stop();

        assertEquals(List.of("{   \"pretty\": true }", "\"not json, \\\"quoted\\\"\\nsecond line\"", "{\"n\":1}",
                "\"{\\\"broken\\\":\""), SinkFiles.lines(dir.resolve("feed.jsonl")));
    }

    @Test
    void linesFormatWritesTextAsReceived() throws Exception {
        CamelContext context = directRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.txt&format=lines");
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("direct:in", "plain text");
        template.sendBody("direct:in", "{\"n\":2}");
        context.stop();

        assertEquals(List.of("plain text", "{\"n\":2}"), SinkFiles.lines(dir.resolve("feed.txt")));
    }

    @Test
    void aFileThatCannotBeWrittenHoldsTheRouteAndGoesToTheDeadLetterWhenTheStopBudgetRunsOut() throws Exception {
        // a folder where the file should be: every open fails, and keeps failing
        Files.createDirectories(dir.resolve("feed.jsonl"));
        CamelContext context = YamlCamel.create().property("dir", dir)
                .configure(c -> c.getShutdownStrategy().setTimeout(3))
                .start("""
                        - route:
                            from:
                              uri: direct:in
                              steps:
                                - to: "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&initialDelay=20ms&maxDelay=100ms"
                        """);
        FileSinkEndpoint sink = context.getEndpoints().stream().filter(FileSinkEndpoint.class::isInstance)
                .map(FileSinkEndpoint.class::cast).findFirst().orElseThrow();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<?> sent = sender.submit(() -> context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}"));
            await().atMost(Duration.ofSeconds(10)).until(sink::isFailing);
            assertFalse(sent.isDone(), "the route waits for the disk instead of dropping the message");
            context.stop();
            assertFalse(context.getShutdownStrategy().hasTimeoutOccurred(), "given up within the stop budget");
        } finally {
            sender.shutdownNow();
        }

        List<String> records = SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl");
        assertEquals(messages(1, 1), records.stream().map(DeadLetterRecord::originalMessage).toList());
        assertTrue(records.get(0).contains("\"sink\":\"sink-file:" + dir), records.get(0));
        assertTrue(records.get(0).contains("\"cause\":\"FileSystemException") || records.get(0).contains("IOException"),
                records.get(0));
    }

    @Test
    void flushesAfterFlushEveryMessages() throws Exception {
        CamelContext context = directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushEvery=10&flushInterval=0");
        ProducerTemplate template = context.createProducerTemplate();
        messages(1, 25).forEach(m -> template.sendBody("direct:in", m));

        // no end of batch and no timer: only the count flushes, so the last 5 wait in the buffer
        assertEquals(messages(1, 20), SinkFiles.lines(dir.resolve("feed.jsonl")));
        context.stop();
        assertEquals(messages(1, 25), SinkFiles.lines(dir.resolve("feed.jsonl")));
    }

    @Test
    void flushesWhatWaitedForFlushInterval() throws Exception {
        CamelContext context = directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushEvery=100000&flushInterval=200ms");
        ProducerTemplate template = context.createProducerTemplate();
        messages(1, 5).forEach(m -> template.sendBody("direct:in", m));

        await().atMost(Duration.ofSeconds(5)).until(() -> SinkFiles.lines(dir.resolve("feed.jsonl")).size() == 5);
        context.stop();
    }

    @Test
    void aListBodyIsABatchWrittenOneRecordPerElementAndFlushedAfterTheLast() throws Exception {
        CamelContext context = directRoute("sink-file:{{dir}}?fileName=feed.jsonl&flushEvery=100000&flushInterval=0");
        ProducerTemplate template = context.createProducerTemplate();
        // a batch as the consumer sends it (maxBatchSize): text and binary messages, the last of what was waiting
        List<Object> batch = List.of("{\"n\":1}", "{\"n\":2}".getBytes(StandardCharsets.UTF_8), "not json");
        template.sendBody("direct:in", List.of("{\"n\":0}"));
        assertEquals(List.of(), SinkFiles.lines(dir.resolve("feed.jsonl")), "no end of batch yet: nothing flushed");

        template.sendBodyAndProperty("direct:in", batch, Exchange.BATCH_COMPLETE, true);

        assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "\"not json\""),
                SinkFiles.lines(dir.resolve("feed.jsonl")));
        context.stop();
    }

    @Test
    void aStopInTheMiddleOfABatchWritesTheBatch() throws Exception {
        CamelContext context = directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&flushEvery=100000&flushInterval=0");
        ProducerTemplate template = context.createProducerTemplate();
        messages(1, 500).forEach(m -> template.sendBody("direct:in", m));
        assertEquals(List.of(), SinkFiles.lines(dir.resolve("feed.jsonl")), "the batch is still open");

        context.stop();
        assertEquals(messages(1, 500), SinkFiles.lines(dir.resolve("feed.jsonl")));
    }

    @Test
    void fsyncDurabilityWritesEverything() throws Exception {
        CamelContext context = directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl&durability=fsync&flushEvery=100");
        ProducerTemplate template = context.createProducerTemplate();
        messages(1, 1000).forEach(m -> template.sendBody("direct:in", m));
        assertEquals(messages(1, 1000), SinkFiles.lines(dir.resolve("feed.jsonl")));
        context.stop();
    }

    @Test
    void aRestartAppendsToTheNewestFileOfTheDay() throws Exception {
        String uri = "sink-file:{{dir}}?fileName=feed-{date}.jsonl&timeZone=UTC&maxFileSize=1KB&clock=#clock";
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
        CamelContext first = directRoute(uri, "clock", clock);
        ProducerTemplate template = first.createProducerTemplate();
        messages(1000, 1099).forEach(m -> template.sendBody("direct:in", m));
        first.stop();
        CamelContext second = directRoute(uri, "clock", clock);
        ProducerTemplate again = second.createProducerTemplate();
        messages(1100, 1101).forEach(m -> again.sendBody("direct:in", m));
        second.stop();

        assertEquals(List.of("feed-2025-03-01.1.jsonl", "feed-2025-03-01.jsonl"),
                SinkFiles.files(dir, ".jsonl").stream().map(p -> p.getFileName().toString()).toList());
        List<String> secondFile = SinkFiles.lines(dir.resolve("feed-2025-03-01.1.jsonl"));
        assertEquals(messages(1093, 1101), secondFile, "1024 bytes hold 93 records of 11 bytes");
    }

    @Test
    void aBadOptionStopsTheStartNamingTheOption() {
        Exception e = assertThrows(Exception.class,
                () -> directRoute("kamelet:ws-file-sink?directory={{dir}}&format=xml"));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        assertTrue(causes.toString().contains("format") && causes.toString().contains("xml"), causes.toString());
    }
}
