package io.wslistener.source;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where received messages go that the route will not process: those a stop's budget cut off (the route too slow for
 * what the server sent before it saw the close frame), those a forced stop left in the hand-off (Camel's
 * shutdownTimeout ran out, and it rejects every exchange from then on with {@code RejectedExecutionException}), and
 * those whose processing ended in an {@link Error}. Each is written, in arrival order, to the route's dead-letter file
 * ({@code <routeId>-undelivered-{date}.jsonl} in {@code wslistener.undelivered.directory}, by default
 * {@code data/dead-letter}), which the {@code ws-dead-letter-source} kamelet replays; its record says why. One WARN line
 * names the file when such writing begins (not one per write: a stop may write tens of thousands); whoever cut the
 * messages off logs the count. Used on the delivery thread only.
 */
final class UndeliveredMessages {

    static final String DIRECTORY_PROPERTY = WsListenerProperty.UNDELIVERED_DIRECTORY.key();
    static final String DEFAULT_DIRECTORY = WsListenerProperty.UNDELIVERED_DIRECTORY.defaultValue();
    private static final int BATCH = 500;
    // and at most this many characters in memory before a write: a batch of large messages is written sooner
    private static final long BATCH_CHARS = 4L << 20;
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(5);
    // a stop may write tens of thousands of messages, as they come, in many small appends: forcing each to disk (10 ms
    // and more) would make a local append slower than the sink it stands in for, so they are forced this often, and
    // once more by whoever waits for the writing to end (force())
    private static final long FORCE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredMessages.class);

    private final String routeId;
    private final DeadLetterFile file;
    private final List<String> batch = new ArrayList<>();
    private long batchChars;
    private volatile long written;
    private volatile long lost;
    private Throwable lastCause;
    private long lastWriteNanos;
    private long lastForceNanos;
    private boolean everWritten;

    UndeliveredMessages(CamelContext context, String routeId) {
        this.routeId = routeId;
        String directory = context.getPropertiesComponent().resolveProperty(DIRECTORY_PROPERTY)
                .filter(d -> !d.isBlank()).orElse(DEFAULT_DIRECTORY);
        this.file = new DeadLetterFile(Path.of(directory), new FileNamePattern(routeId + "-undelivered-{date}.jsonl",
                "yyyy-MM-dd", ZoneId.systemDefault()), Clock.systemDefaultZone(),
                FilePermissions.parse(DIRECTORY_PROPERTY, "600"));
        // at start, like the sinks' dead-letter folders: a forced stop is the worst moment to learn it cannot be written
        file.checkWritable("Route '" + routeId + "': " + DIRECTORY_PROPERTY);
    }

    /**
     * Keeps a message that was not processed, with why; {@code endOfBatch}: nothing else waits, so write now.
     */
    void add(Object body, Throwable cause, boolean endOfBatch) {
        String record = DeadLetterRecord.toJson(body, "ws-listener:" + routeId, 0, null, cause, Instant.now());
        batch.add(record);
        batchChars += record.length();
        lastCause = cause;
        if (endOfBatch || batch.size() >= BATCH || batchChars >= BATCH_CHARS) {
            flush();
        }
    }

    /** Messages written to the dead letter since the route started. */
    long written() {
        return written;
    }

    /** Messages that could not be written to it (logged at ERROR). */
    long lost() {
        return lost;
    }

    /**
     * Forces to disk what was written and not forced yet (the last appends of a stop). Any thread: the file serialises
     * it with the appends.
     */
    void force() {
        // Camel interrupts a stop that reached its shutdownTimeout, and an interrupted thread cannot use a FileChannel
        boolean interrupted = Thread.interrupted();
        try {
            file.force();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Route '{}': {} could not be forced to disk: {}", routeId, file(), e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The file written to now, absolute. */
    Path file() {
        return file.currentFile().toAbsolutePath();
    }

    private void flush() {
        // a forced stop may have interrupted this thread, and an interrupted thread cannot write to a FileChannel
        boolean interrupted = Thread.interrupted();
        long now = System.nanoTime();
        try {
            boolean force = !everWritten || now - lastForceNanos >= FORCE_EVERY_NANOS;
            file.append(batch, force);
            if (force) {
                lastForceNanos = now;
            }
            written += batch.size();
            if (!everWritten || now - lastWriteNanos > QUIET_NANOS) {
                LOG.warn("Route '{}': received messages not processed ({}) are written to {} for replay", routeId,
                        DeadLetterRecord.describe(lastCause), file());
            }
            everWritten = true;
            lastWriteNanos = now;
        } catch (IOException | RuntimeException | Error e) {
            lost += batch.size();
            LOG.error("Route '{}': {} received messages not processed ({}) could not be written to {} and are lost: {}",
                    routeId, lost, DeadLetterRecord.describe(lastCause), file(), e.toString());
        } finally {
            batch.clear();
            batchChars = 0;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
