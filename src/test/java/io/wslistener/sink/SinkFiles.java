package io.wslistener.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading what the sinks wrote. */
public final class SinkFiles {

    private SinkFiles() {
    }

    /** The complete lines of a file (a line still being written is left out); none when it does not exist. */
    public static List<String> lines(Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return List.of();
            }
            return new ArrayList<>(List.of(text.substring(0, end).split("\n", -1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of every file in the folder whose name ends with the suffix, sorted by name. */
    public static List<String> linesOfAll(Path dir, String suffix) {
        List<String> all = new ArrayList<>();
        for (Path file : files(dir, suffix)) {
            all.addAll(lines(file));
        }
        return all;
    }

    public static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var stream = Files.list(dir)) {
            return stream.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
