package io.wslistener.sink.file;

import io.wslistener.sink.WriteTally;
import io.wslistener.sink.FileNamePattern;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.wslistener.metrics.SinkMeters;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one file open and appends records to it through a buffer, flushing at the end of each batch, every
 * {@code flushEvery} records, every {@code flushInterval}, and on stop. Rolls to a new file when the date in the file
 * name changes and, with a size limit, when the next record would not fit.
 * <p>
 * Why not camel-file's producer: with {@code fileExist=Append} it opens, writes and closes the file for every message
 * (about 14k messages/s), and batching in front of it with the aggregate EIP hands completed batches to a timeout
 * thread that can overtake the route's own thread, so batches could land out of order. Here the route's thread writes
 * straight into the buffer of the open file; the flush timer only ever flushes what is already in order.
 * <p>
 * Nothing is dropped silently: when a write fails, the messages whose bytes had not reached the file are handed to
 * {@link LostRecords} (the sink's dead letter) and the file is opened afresh for the next message.
 * <p>
 * Meters: a message counts as written when the buffer holding it is written to the file, and as dead-lettered when
 * {@link LostRecords} took it. The latency is timed per write of the buffer (the end of a batch, a full buffer,
 * {@code flushEvery}, the timer), not per message: timing each of half a million messages a second would cost more
 * than writing them, and a message's bytes reach the file only with its buffer anyway.
 */
final class RollingFileWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RollingFileWriter.class);

    /** Receives the messages that could not be written, with the cause. */
    @FunctionalInterface
    interface LostRecords {
        void lost(List<Object> messages, Exception cause) throws Exception;
    }

    private final String name;
    private final Path directory;
    private final FileNamePattern names;
    private final long maxFileSize;
    private final Durability durability;
    private final int bufferSize;
    private final int flushEvery;
    private final Duration flushInterval;
    private final Clock clock;
    private final ScheduledExecutorService flushScheduler;
    private final LostRecords lostRecords;

    // all below guarded by this
    private ByteBuffer buffer;
    private final List<Object> buffered = new ArrayList<>();
    private final WriteTally bufferedPerRoute = new WriteTally();
    private int unflushed;
    private FileChannel channel;
    private Path currentFile;
    private String currentDate;
    private int currentIndex;
    private long currentSize;
    private ScheduledFuture<?> flushTimer;

    RollingFileWriter(String name, Path directory, FileNamePattern names, long maxFileSize, Durability durability,
                      int bufferSize, int flushEvery, Duration flushInterval, Clock clock, ScheduledExecutorService flushScheduler,
                      LostRecords lostRecords) {
        this.name = name;
        this.directory = directory;
        this.names = names;
        this.maxFileSize = maxFileSize;
        this.durability = durability;
        this.bufferSize = bufferSize;
        this.flushEvery = flushEvery;
        this.flushInterval = flushInterval;
        this.clock = clock;
        this.flushScheduler = flushScheduler;
        this.lostRecords = lostRecords;
    }

    /** The file currently open, or null. */
    synchronized Path currentFile() {
        return currentFile;
    }

    /**
     * Appends one record (already framed); {@code message} is what goes to the dead letter if it cannot be written,
     * {@code meters} those of the route it came from.
     */
    synchronized void append(Object message, byte[] record, SinkMeters meters) throws Exception {
        if (buffer == null) {
            throw new IllegalStateException("file sink " + name + " is not started");
        }
        boolean held = false;
        try {
            selectFile(record.length);
            if (record.length > buffer.remaining()) {
                writeBuffer();
            }
            buffered.add(message);
            bufferedPerRoute.add(meters);
            held = true;
            if (record.length > buffer.capacity()) {
                // writeBuffer() above emptied the buffer: this record is a write of its own
                long start = System.nanoTime();
                write(ByteBuffer.wrap(record));
                buffered.remove(buffered.size() - 1);
                bufferedPerRoute.written(System.nanoTime() - start);
            } else {
                buffer.put(record);
            }
            currentSize += record.length;
        } catch (IOException e) {
            if (!held) {
                buffered.add(message);
                bufferedPerRoute.add(meters);
            }
            failed(e);
            return;
        }
        if (++unflushed >= flushEvery) {
            flush();
        }
    }

    /** Writes out the buffer (and forces it to disk with {@code fsync} durability). */
    synchronized void flush() throws Exception {
        if (channel == null || unflushed == 0 && buffer.position() == 0) {
            return;
        }
        try {
            writeBuffer(durability == Durability.FSYNC);
            unflushed = 0;
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    protected synchronized void doStart() {
        buffer = ByteBuffer.allocateDirect(bufferSize);
        if (!flushInterval.isZero()) {
            long period = flushInterval.toMillis();
            flushTimer = flushScheduler.scheduleAtFixedRate(this::flushOnTimer, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        synchronized (this) {
            try {
                flush();
            } finally {
                closeQuietly();
                buffer = null;
            }
        }
    }

    private void flushOnTimer() {
        try {
            flush();
        } catch (Exception e) {
            LOG.error("File sink {}: a timed flush failed and its messages could not be dead-lettered: {}", name,
                    e.getMessage(), e);
        }
    }

    /** Makes sure the right file is open for a record of this size at the current time. */
    private void selectFile(int recordLength) throws IOException {
        String date = names.dateAt(clock.millis());
        if (channel == null || !date.equals(currentDate)) {
            open(date);
        }
        if (maxFileSize > 0 && currentSize > 0 && currentSize + recordLength > maxFileSize) {
            writeBuffer(durability == Durability.FSYNC);
            closeQuietly();
            openAt(date, currentIndex + 1);
        }
    }

    /** Opens the newest file of the date, continuing where a previous run left off. */
    private void open(String date) throws IOException {
        if (channel != null) {
            // before leaving a file: what it holds is complete, so it gets the batch's durability now
            writeBuffer(durability == Durability.FSYNC);
            closeQuietly();
        }
        int index = 0;
        while (Files.exists(directory.resolve(names.fileName(date, index + 1)))) {
            index++;
        }
        openAt(date, index);
    }

    private void openAt(String date, int index) throws IOException {
        Path file = directory.resolve(names.fileName(date, index));
        Files.createDirectories(file.toAbsolutePath().getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        currentFile = file;
        currentDate = date;
        currentIndex = index;
        currentSize = channel.size();
        LOG.debug("File sink {}: writing to {}", name, file);
    }

    private void writeBuffer() throws IOException {
        writeBuffer(false);
    }

    /**
     * Writes out the buffer, and forces the file to disk when asked. The buffer's messages count as written once their
     * bytes are in the file, even when forcing them to disk then fails (they are not dead-lettered either); the
     * latency covers the write and the force.
     */
    private void writeBuffer(boolean force) throws IOException {
        long start = System.nanoTime();
        if (buffer.position() > 0) {
            buffer.flip();
            write(buffer);
            buffer.clear();
        }
        buffered.clear();
        try {
            if (force) {
                channel.force(false);
            }
        } finally {
            if (!bufferedPerRoute.isEmpty()) {
                bufferedPerRoute.written(System.nanoTime() - start);
            }
        }
    }

    private void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** The file is in an unknown state: hand over what did not reach it, and start afresh with the next message. */
    private void failed(IOException cause) throws Exception {
        List<Object> lost = new ArrayList<>(buffered);
        buffered.clear();
        buffer.clear();
        unflushed = 0;
        closeQuietly();
        LOG.warn("File sink {}: writing to {} failed ({}); {} message(s) go to the dead letter", name,
                currentFile != null ? currentFile : directory, cause.getMessage(), lost.size());
        try {
            lostRecords.lost(lost, cause);
            bufferedPerRoute.deadLettered();
        } finally {
            // when even the dead letter failed, the messages are neither written nor dead-lettered: the exception says so
            bufferedPerRoute.clear();
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("File sink {}: closing {} failed", name, currentFile, e);
            }
            channel = null;
            currentDate = null;
        }
    }
}
