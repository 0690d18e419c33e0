package io.wslistener.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small helpers the benchmark mains share. */
final class BenchSupport {

    private BenchSupport() {
    }

    /** A duration the way the YAML settings take it: "5s", "500ms". */
    static String millis(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The value, or an IllegalStateException saying what did not happen. */
    static <T> T require(T value, String failure) {
        if (value == null) {
            throw new IllegalStateException(failure);
        }
        return value;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
