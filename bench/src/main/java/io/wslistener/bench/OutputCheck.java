package io.wslistener.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a candidate's output: every line starts with the 10-digit sequence number of the blast server; counts
 * lines, missing numbers and reorderings (a number smaller than one already seen), and names the lowest and highest
 * missing number (0 when none is missing).
 */
public record OutputCheck(long lines, long missing, long reorderings, long firstMissing, long lastMissing) {

    /** "12 missing (#1 - #12)" or "none missing". */
    public String describeMissing() {
        if (missing == 0) {
            return "none missing";
        }
        return String.format(java.util.Locale.ROOT, "%,d missing (#%,d - #%,d)", missing, firstMissing, lastMissing);
    }

    public boolean perfect(long expected) {
        return lines == expected && missing == 0 && reorderings == 0;
    }

    public static OutputCheck of(Path directory, long expected) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        Lines lines = new Lines(expected);
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            }
        }
        return lines.check();
    }

    /** The check of lines handed over one by one, in the order they were written (a file, a Kafka partition). */
    static final class Lines {
        private final long expected;
        private final BitSet seen;
        private long lines;
        private long reorderings;
        private long highest;

        Lines(long expected) {
            this.expected = expected;
            this.seen = new BitSet((int) expected + 1);
        }

        void add(String line) {
            lines++;
            long sequence = parseSequence(line);
            if (sequence < 1 || sequence > expected) {
                return;
            }
            if (sequence < highest) {
                reorderings++;
            }
            highest = Math.max(highest, sequence);
            seen.set((int) sequence);
        }

        OutputCheck check() {
            long missing = expected - seen.cardinality();
            long firstMissing = missing == 0 ? 0 : seen.nextClearBit(1);
            long lastMissing = missing == 0 ? 0 : seen.previousClearBit((int) expected);
            return new OutputCheck(lines, missing, reorderings, firstMissing, lastMissing);
        }
    }

    /** The sequence number at the start of a line, also when the sink wrapped the text in a JSON string. */
    static long parseSequence(String line) {
        int start = 0;
        while (start < line.length() && !Character.isDigit(line.charAt(start))) {
            start++;
        }
        if (start + 10 > line.length()) {
            return -1;
        }
        try {
            return Long.parseLong(line.substring(start, start + 10));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
