package io.wslistener.source;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.deadletter.DeadLetterFile;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.WsListenerProperty;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the messages go that a forced stop leaves in the hand-off: Camel's shutdownTimeout ran out, and it rejects
 * every exchange from then on ({@code RejectedExecutionException}). Instead of one failed exchange and a stack trace
 * per message, each is written to the route's dead-letter file ({@code <routeId>-undelivered-{date}.jsonl} in
 * {@code wslistener.undelivered.directory}, by default {@code data/dead-letter}), which the
 * {@code ws-dead-letter-source} kamelet replays, and one line logs how many. Used on the delivery thread only.
 */
final class UndeliveredMessages {

    static final String DIRECTORY_PROPERTY = WsListenerProperty.UNDELIVERED_DIRECTORY.key();
    static final String DEFAULT_DIRECTORY = WsListenerProperty.UNDELIVERED_DIRECTORY.defaultValue();
    private static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(UndeliveredMessages.class);

    private final String routeId;
    private final DeadLetterFile file;
    private final List<String> batch = new ArrayList<>();
    private volatile long written;
    private long lost;

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

    /** Keeps a message that was not processed; {@code endOfBatch}: nothing else waits, so write now. */
    void add(Object body, Throwable cause, boolean endOfBatch) {
        batch.add(DeadLetterRecord.toJson(body, "ws-listener:" + routeId, 0, null, cause, Instant.now()));
        if (endOfBatch || batch.size() >= BATCH) {
            flush();
        }
    }

    /** Messages written to the dead letter since the route started. */
    long written() {
        return written;
    }

    private void flush() {
        // a forced stop may have interrupted this thread, and an interrupted thread cannot write to a FileChannel
        boolean interrupted = Thread.interrupted();
        try {
            file.append(batch);
            written += batch.size();
            LOG.warn(
                    "Route '{}': stop forced (shutdownTimeout reached): {} received messages not processed were written"
                            + " to {} for replay",
                    routeId, written, file.currentFile().toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            lost += batch.size();
            LOG.error("Route '{}': stop forced (shutdownTimeout reached): {} received messages not processed could not"
                    + " be written to {} and are lost: {}", routeId, lost, file.currentFile().toAbsolutePath(),
                    e.toString());
        } finally {
            batch.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
