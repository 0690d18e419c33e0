package io.wslistener.sink.deadletter;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.TornLines;
import io.wslistener.sink.WritableDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends dead-letter records (JSON Lines) to a dated file, forcing them to disk before returning: a dead letter is
 * the last copy of a message, and is rare enough that the cost does not matter. A writer of many small appends in a
 * row (a stop that writes tens of thousands of messages it received) may force only every so often, and once when it is
 * done ({@link #force()}).
 * <p>
 * The file is opened for each append and closed again, so that moving a dead-letter file away (to replay it) can
 * never lose a record: the next record simply starts a new file.
 * <p>
 * Every append is all or nothing, and starts at a line boundary: a file whose last line was cut (a kill, a full disk)
 * gets that line terminated first (logged and counted), and an append that fails half-way is cut back to where it
 * began, so a record is never glued to a fragment and a replay never sees half a record twice.
 */
public final class DeadLetterFile {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFile.class);

    private final Path directory;
    private final FileNamePattern names;
    private final Clock clock;
    private final FilePermissions permissions;
    private static final int WRITE_BUFFER = 64 * 1024;

    private final AtomicLong tornLines = new AtomicLong();
    // the file an append wrote without forcing it, until forced
    private Path unforced;

    public DeadLetterFile(Path directory, FileNamePattern names, Clock clock, FilePermissions permissions) {
        this.directory = directory;
        this.names = names;
        this.clock = clock;
        this.permissions = permissions;
    }

    /** Checks at start-up that the folder can be created and written; {@code owner} names the sink and option. */
    public void checkWritable(String owner) {
        WritableDirectory.check(owner, directory);
    }

    /** Where the next record goes. */
    public synchronized Path currentFile() {
        return directory.resolve(names.fileName(names.dateAt(clock.millis()), 0));
    }

    /** Torn last lines found and cut off since start. */
    public long tornLineCount() {
        return tornLines.get();
    }

    /** Appends the records and forces them to disk before returning. */
    public void append(List<String> records) throws IOException {
        append(records, true);
    }

    /**
     * Appends the records; with {@code force} they (and what earlier appends left unforced) are on disk before it
     * returns, without they are in the operating system's cache, which outlives the process but not a crash of the
     * machine, until the next forced append or {@link #force()}.
     */
    public synchronized void append(List<String> records, boolean force) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        Path file = currentFile();
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean created = !Files.exists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (created) {
                permissions.applyTo(file);
            }
            long start = channel.size();
            try {
                start = cutOffTornLine(channel, file, start);
                channel.position(start);
                // encoded record by record through a buffer, not joined into one text and one byte array first: a
                // batch of large messages (megabytes) would need several copies of itself on the heap at once
                Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8.newEncoder(), WRITE_BUFFER);
                for (String record : records) {
                    out.write(record);
                    out.write('\n');
                }
                out.flush();
                if (force) {
                    channel.force(false);
                }
            } catch (IOException e) {
                cutBack(channel, start, e);
                throw e;
            }
        }
        if (!force) {
            unforced = file;
        } else if (unforced != null) {
            force();
        }
    }

    /** Forces to disk what appends without {@code force} wrote; nothing when there is none. */
    public synchronized void force() throws IOException {
        Path file = unforced;
        unforced = null;
        if (file != null && Files.exists(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(false);
            }
        }
    }

    /** Cuts off a last line without a line end (a crash or a full disk); returns where the next record starts. */
    private long cutOffTornLine(FileChannel channel, Path file, long size) throws IOException {
        long cut = TornLines.cutOff(channel, size);
        if (cut > 0) {
            tornLines.incrementAndGet();
            LOG.warn(
                    "Dead letter {}: its last line was cut short ({} bytes, a crash or a full disk); cut it off, so that"
                            + " every line is a whole record",
                    file, cut);
        }
        return size - cut;
    }

    private static void cutBack(FileChannel channel, long start, IOException cause) {
        try {
            channel.truncate(start);
        } catch (IOException e) {
            // the next append terminates whatever is left on a line of its own
            cause.addSuppressed(e);
        }
    }
}
