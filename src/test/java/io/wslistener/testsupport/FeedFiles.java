package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.wslistener.sink.deadletter.DeadLetterRecord;

/**
 * Reads what a file sink (or a dead letter) wrote: every line of every file under a directory, in file-name order.
 */
public final class FeedFiles {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private FeedFiles() {
    }

    public static List<String> lines(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> lines = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "seq" numbers of the lines that carry one, in file order. */
    public static List<Long> sequences(Path directory) {
        List<Long> sequences = new ArrayList<>();
        for (String line : lines(directory)) {
            Matcher m = SEQ.matcher(line);
            if (m.find()) {
                sequences.add(Long.parseLong(m.group(1)));
            }
        }
        return sequences;
    }

    /**
     * The "seq" numbers of the messages kept in dead-letter records (an undelivered file, a sink's dead letter) under a
     * directory, in file order.
     */
    public static List<Long> deadLetteredSequences(Path directory) {
        List<Long> sequences = new ArrayList<>();
        for (String line : lines(directory)) {
            Matcher m = SEQ.matcher(String.valueOf(DeadLetterRecord.originalMessage(line)));
            if (m.find()) {
                sequences.add(Long.parseLong(m.group(1)));
            }
        }
        return sequences;
    }

    /** The first place where the sequence is not 1, 2, 3, ...; -1 when it is. */
    public static int firstGap(List<Long> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i) != i + 1) {
                return i;
            }
        }
        return -1;
    }

}
