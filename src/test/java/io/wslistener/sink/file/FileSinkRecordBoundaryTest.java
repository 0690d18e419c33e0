package io.wslistener.sink.file;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.SinkFiles;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file sink keeps its files at record boundaries: a torn last record left by a crash is terminated on open, the
 * dead letter does the same, a sink that is already stopped dead-letters instead of failing, and new files get the
 * configured permissions. (A full disk: {@link FileSinkDiskFullTest}.)
 */
class FileSinkRecordBoundaryTest {

    @TempDir
    Path dir;

    private CamelContext directRoute(String sinkUri) throws Exception {
        return YamlCamel.create().property("dir", dir).start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "%s"
                """.formatted(sinkUri));
    }

    private static FileSinkEndpoint fileSink(CamelContext context) {
        return context.getEndpoints().stream().filter(FileSinkEndpoint.class::isInstance)
                .map(FileSinkEndpoint.class::cast)
                .findFirst().orElseThrow();
    }

    @Test
    void aTornLastLineLeftByACrashIsCutOffBeforeTheFirstNewRecord() throws Exception {
        Files.writeString(dir.resolve("feed.jsonl"), "{\"n\":1}\n{\"n\":2,\"cut\":");
        CamelContext context = directRoute("kamelet:ws-file-sink?directory={{dir}}&fileName=feed.jsonl");
        context.createProducerTemplate().sendBody("direct:in", "{\"n\":3}");
        FileSinkEndpoint sink = fileSink(context);
        long torn = sink.getTornRecordCount();
        context.stop();

        assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), SinkFiles.lines(dir.resolve("feed.jsonl")),
                "the fragment is cut off and the new record starts on a line of its own: every line is a whole record");
        assertEquals(1, torn);
    }

    @Test
    void aTornRawRecordIsCutOffSoEveryRecordStillParses() throws Exception {
        ByteBuffer old = ByteBuffer.allocate(4 + 3 + 4 + 2);
        old.putInt(3).put("abc".getBytes(StandardCharsets.UTF_8)).putInt(10).put("xy".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("feed.bin"), old.array());
        CamelContext context = directRoute("sink-file:{{dir}}?fileName=feed.bin&format=raw");
        context.createProducerTemplate().sendBody("direct:in", "new");
        long torn = fileSink(context).getTornRecordCount();
        context.stop();

        assertEquals(List.of("abc", "new"), rawRecords(dir.resolve("feed.bin")));
        assertEquals(1, torn);
    }

    @Test
    void theDeadLetterCutsOffATornLineAndNeverGluesARecordToIt() throws Exception {
        Path deadLetters = dir.resolve("dead-letter");
        Files.createDirectories(deadLetters);
        Files.writeString(deadLetters.resolve("dl.jsonl"), "{\"message\":\"cut");
        DeadLetterFile file = new DeadLetterFile(deadLetters,
                new FileNamePattern("dl.jsonl", "yyyy-MM-dd", ZoneId.of("UTC")),
                Clock.systemUTC(), FilePermissions.UMASK);
        file.append(List.of("{\"message\":\"one\"}"));

        assertEquals(List.of("{\"message\":\"one\"}"), SinkFiles.lines(deadLetters.resolve("dl.jsonl")));
        assertEquals(1, file.tornLineCount());
    }

    @Test
    void aMessageForASinkThatAlreadyStoppedGoesToTheDeadLetterInsteadOfFailing() throws Exception {
        CamelContext context = directRoute("sink-file:{{dir}}?fileName=feed.jsonl");
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("direct:in", "{\"n\":1}");
        // what a feed still draining after its drainTimeout meets: the sink stopped under it
        ServiceHelper.stopService(fileSink(context));
        template.sendBody("direct:in", "{\"n\":2}");
        context.stop();

        assertEquals(List.of("{\"n\":1}"), SinkFiles.lines(dir.resolve("feed.jsonl")));
        assertEquals(List.of("{\"n\":2}"), SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").stream()
                .map(DeadLetterRecord::originalMessage).toList());
    }

    @Test
    void newFilesGetTheConfiguredPermissionsAndDeadLettersAreOwnerOnlyByDefault() throws Exception {
        CamelContext context = directRoute("sink-file:{{dir}}?fileName=feed.jsonl&filePermissions=640");
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody("direct:in", "{\"n\":1}");
        ServiceHelper.stopService(fileSink(context));
        template.sendBody("direct:in", "{\"n\":2}");
        context.stop();

        assertEquals("rw-r-----",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("feed.jsonl"))));
        Path deadLetter = SinkFiles.files(dir.resolve("dead-letter"), ".jsonl").get(0);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(deadLetter)));
    }

    @Test
    void aDeadLetterDirectoryThatCannotBeWrittenStopsTheStartNamingItAndTheOption() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file where the folder should be");
        Exception error = assertThrows(Exception.class, () -> directRoute(
                "kamelet:ws-file-sink?directory={{dir}}&deadLetterDirectory=" + notADirectory.resolve("dl")));
        String causes = causes(error);
        assertTrue(causes.contains("deadLetterDirectory") && causes.contains(notADirectory.resolve("dl").toString())
                && causes.contains("cannot be created or written"), causes);
        assertTrue(causes.contains("route"), "Camel names the route that failed to start: " + causes);
    }

    @Test
    void durationsAreReadStrictlyWithAnErrorNamingTheOption() {
        for (String bad : List.of("5x", "-5s", "10S1")) {
            Exception error = assertThrows(Exception.class,
                    () -> directRoute("sink-file:{{dir}}?fileName=feed.jsonl&flushInterval=" + bad));
            assertTrue(causes(error).contains("flushInterval must be a duration of 0 or more"), causes(error));
        }
        Exception zero = assertThrows(Exception.class,
                () -> directRoute("sink-file:{{dir}}?fileName=feed.jsonl&initialDelay=0"));
        assertTrue(causes(zero).contains("initialDelay must be more than 0"), causes(zero));
    }

    static String causes(Throwable error) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        return causes.toString();
    }

    static List<String> rawRecords(Path file) throws IOException {
        List<String> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            while (true) {
                int length;
                try {
                    length = data.readInt();
                } catch (EOFException end) {
                    return records;
                }
                byte[] record = new byte[length];
                data.readFully(record);
                records.add(new String(record, StandardCharsets.UTF_8));
            }
        }
    }
}
