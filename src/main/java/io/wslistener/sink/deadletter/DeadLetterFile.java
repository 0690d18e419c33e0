package io.wslistener.sink.deadletter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

import io.wslistener.sink.FileNamePattern;

/**
 * Appends dead-letter records (JSON Lines) to a dated file, forcing them to disk before returning: a dead letter is
 * the last copy of a message, and is rare enough that the cost does not matter.
 * <p>
 * The file is opened for each append and closed again, so that moving a dead-letter file away (to replay it) can
 * never lose a record: the next record simply starts a new file.
 */
public final class DeadLetterFile {

    private final Path directory;
    private final FileNamePattern names;
    private final Clock clock;

    public DeadLetterFile(Path directory, FileNamePattern names, Clock clock) {
        this.directory = directory;
        this.names = names;
        this.clock = clock;
    }

    /** Where the next record goes. */
    public synchronized Path currentFile() {
        return directory.resolve(names.fileName(names.dateAt(clock.millis()), 0));
    }

    public synchronized void append(List<String> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(records.size() * 256);
        for (String record : records) {
            text.append(record).append('\n');
        }
        Path file = currentFile();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
    }
}
