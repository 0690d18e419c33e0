package io.wslistener.sink.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.FileNamePattern;
import io.wslistener.sink.FilePermissions;
import io.wslistener.sink.SinkFailure;
import io.wslistener.sink.TornLines;
import io.wslistener.sink.WriteTally;
import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
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
 * The file only ever ends at a record boundary:
 * <ul>
 * <li>on open, a last record cut short by an earlier crash is terminated (a line end for text formats; a torn raw
 * record is cut off), logged and counted, so the first new record is never glued to the fragment;</li>
 * <li>a write that fails half-way (a full disk, an I/O error) is cut back to the last complete record; the records
 * before it count as written, the rest stay in the buffer.</li>
 * </ul>
 * A write that fails is retried with backoff on the route's thread, holding the route, so the WebSocket consumer
 * pauses the socket just as it does for a slow sink: a full disk loses nothing and does not flood the log (one line
 * when the episode starts, one when it ends). The timer never waits for a failing disk: it leaves the retrying to the
 * route. Only when the context's stop budget runs out (see {@link StopBudget}) or the writer stops do the records still held
 * go to {@link LostRecords} (the sink's dead letter); a record offered after that goes there straight away.
 * <p>
 * Meters: a message counts as written when the bytes of its record are in the file, and as dead-lettered when
 * {@link LostRecords} took it; each failed attempt counts as a retry. The latency is timed per write of the buffer (the
 * end of a batch, a full buffer, {@code flushEvery}, the timer), not per message: timing each of half a million
 * messages a second would cost more than writing them.
 */
final class RollingFileWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RollingFileWriter.class);

    /** Receives the messages that could not be written, with the cause. */
    @FunctionalInterface
    interface LostRecords {

        void lost(List<Object> messages, Exception cause) throws Exception;
    }

    /** What the writer does at the end of a batch, and how the file and its failures are handled. */
    record Settings(String name, Path directory, FileNamePattern names, RecordFormat format, long maxFileSize,
                    Durability durability, int bufferSize, int flushEvery, Duration flushInterval, Backoff backoff,
                    FilePermissions permissions, Clock clock) {
    }

    private final Settings settings;
    private final String name;
    private final ScheduledExecutorService flushScheduler;
    private final StopBudget budget;
    private final LostRecords lostRecords;
    private final SinkFailure failure;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong tornRecords = new AtomicLong();
    private volatile CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Path currentFile;

    // all below guarded by lock
    private ByteBuffer buffer;
    private final List<Object> buffered = new ArrayList<>();
    private final List<SinkMeters> bufferedMeters = new ArrayList<>();
    private int[] recordEnds = new int[64];
    private final WriteTally bufferedPerRoute = new WriteTally();
    private int unflushed;
    private FileChannel channel;
    private String currentDate;
    private int currentIndex;
    private long currentSize;
    private ScheduledFuture<?> flushTimer;
    // the meters of the message being appended: a failing open is counted on them before the message is held
    private SinkMeters appending = SinkMeters.NONE;

    RollingFileWriter(Settings settings, ScheduledExecutorService flushScheduler, StopBudget budget,
                      LostRecords lostRecords, SinkFailure failure) {
        this.settings = settings;
        this.name = settings.name();
        this.flushScheduler = flushScheduler;
        this.budget = budget;
        this.lostRecords = lostRecords;
        this.failure = failure;
    }

    /** The file currently open, or null. */
    Path currentFile() {
        return currentFile;
    }

    /** Torn records found at the end of a file when it was opened, since start. */
    long tornRecordCount() {
        return tornRecords.get();
    }

    /**
     * Appends one record (already framed, followed by {@code \n} when {@code lineBreak}); {@code message} is what goes to
     * the dead letter if it cannot be written, {@code meters} those of the route it came from. Waits (retrying) while
     * the disk cannot be written.
     */
    void append(Object message, byte[] record, boolean lineBreak, SinkMeters meters) throws Exception {
        int length = lineBreak ? record.length + 1 : record.length;
        lock.lock();
        try {
            if (buffer == null || stopping) {
                // stopped (the route outlived its sink, or the stop budget ran out): the dead letter, never an error
                lostRecords.lost(List.of(message), new IllegalStateException("file sink " + name + " is stopped"));
                meters.deadLettered();
                return;
            }
            appending = meters;
            selectFile(length);
            appending = SinkMeters.NONE;
            if (stopping) {
                // gave up while waiting for the disk: this one follows what was held into the dead letter
                lostRecords.lost(List.of(message), failure.lastError() != null
                        ? failure.lastError() : new IllegalStateException("file sink " + name + " is stopped"));
                meters.deadLettered();
                return;
            }
            if (length > buffer.remaining() && !writeOut(false, true)) {
                giveUpHeld(message, meters);
                return;
            }
            if (length > buffer.capacity()) {
                // larger than the whole buffer: a write of its own, through a buffer of its size
                ByteBuffer saved = buffer;
                buffer = ByteBuffer.allocate(length).put(record);
                if (lineBreak) {
                    buffer.put((byte) '\n');
                }
                hold(message, meters, length);
                try {
                    if (!writeOut(false, true)) {
                        giveUpHeld(null, null);
                    }
                } finally {
                    buffer = saved;
                    buffer.clear();
                }
            } else {
                buffer.put(record);
                if (lineBreak) {
                    buffer.put((byte) '\n');
                }
                hold(message, meters, buffer.position());
            }
            currentSize += length;
            if (++unflushed >= settings.flushEvery()) {
                flushLocked(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes out the buffer (and forces it to disk with {@code fsync} durability), waiting while the disk fails. */
    void flush() throws Exception {
        lock.lock();
        try {
            flushLocked(true);
        } finally {
            lock.unlock();
        }
    }

    /** Writes out the buffer once; when that fails the records stay held (for the next write or the stop). */
    void flushWithoutWaiting() throws Exception {
        lock.lock();
        try {
            flushLocked(false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void doStart() {
        lock.lock();
        try {
            buffer = ByteBuffer.allocateDirect(settings.bufferSize());
            stopping = false;
            stopSignal = new CountDownLatch(1);
        } finally {
            lock.unlock();
        }
        if (!settings.flushInterval().isZero()) {
            long period = settings.flushInterval().toMillis();
            flushTimer = flushScheduler.scheduleAtFixedRate(this::flushOnTimer, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        // a route thread waiting for the disk gives up now and dead-letters what it holds
        stopping = true;
        stopSignal.countDown();
        lock.lock();
        try {
            if (buffer != null && buffer.position() > 0) {
                if (!writeOut(settings.durability() == Durability.FSYNC, false)) {
                    giveUpHeld(null, null);
                }
            }
        } finally {
            closeQuietly();
            buffer = null;
            lock.unlock();
        }
    }

    private void flushLocked(boolean mayWait) throws Exception {
        if (buffer == null) {
            return;
        }
        if (buffer.position() == 0) {
            // written out already (a full buffer), but not yet forced to disk with fsync durability
            if (unflushed > 0 && channel != null && settings.durability() == Durability.FSYNC) {
                forceQuietly();
            }
            unflushed = 0;
            return;
        }
        if (writeOut(settings.durability() == Durability.FSYNC, mayWait)) {
            unflushed = 0;
        } else if (mayWait) {
            giveUpHeld(null, null);
        }
    }

    private void flushOnTimer() {
        // never wait for a busy or failing sink: the shared timer serves every file of the context
        if (failure.isFailing() || !lock.tryLock()) {
            return;
        }
        try {
            flushLocked(false);
        } catch (Exception e) {
            LOG.error("File sink {}: a timed flush failed: {}", name, e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void hold(Object message, SinkMeters meters, int endInBuffer) {
        int index = buffered.size();
        if (index == recordEnds.length) {
            recordEnds = Arrays.copyOf(recordEnds, index * 2);
        }
        recordEnds[index] = endInBuffer;
        buffered.add(message);
        bufferedMeters.add(meters);
        bufferedPerRoute.add(meters);
    }

    /** Makes sure the right file is open for a record of this size at the current time. */
    private void selectFile(int recordLength) throws Exception {
        String date = settings.names().dateAt(settings.clock().millis());
        if (channel != null && !date.equals(currentDate)) {
            // before leaving a file: what it holds is complete, so it gets the batch's durability now
            if (!writeOut(settings.durability() == Durability.FSYNC, true)) {
                giveUpHeld(null, null);
            }
            closeQuietly();
        }
        if (channel == null) {
            openNewest(date);
        }
        if (settings.maxFileSize() > 0 && currentSize > 0 && currentSize + recordLength > settings.maxFileSize()) {
            if (!writeOut(settings.durability() == Durability.FSYNC, true)) {
                giveUpHeld(null, null);
            }
            closeQuietly();
            openAt(date, currentIndex + 1);
        }
    }

    /** Opens the newest file of the date, continuing where a previous run left off; retried while it fails. */
    private void openNewest(String date) throws Exception {
        while (true) {
            try {
                int index = 0;
                while (Files.exists(settings.directory().resolve(settings.names().fileName(date, index + 1)))) {
                    index++;
                }
                openAt(date, index);
                return;
            } catch (IOException e) {
                if (!waitBeforeRetry(e, true)) {
                    // nothing is open: the records go to the dead letter as they come
                    stopping = true;
                    giveUpHeld(null, null);
                    return;
                }
            }
        }
    }

    private void openAt(String date, int index) throws IOException {
        Path file = settings.directory().resolve(settings.names().fileName(date, index));
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean created = !Files.exists(file);
        FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (created) {
                settings.permissions().applyTo(file);
            }
            long size = endAtRecordBoundary(opened, file);
            opened.position(size);
            channel = opened;
            currentSize = size;
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        currentFile = file;
        currentDate = date;
        currentIndex = index;
        LOG.debug("File sink {}: writing to {}", name, file);
    }

    /** Terminates or cuts off a record that an earlier run left unfinished; returns where the next record goes. */
    private long endAtRecordBoundary(FileChannel file, Path path) throws IOException {
        long size = file.size();
        if (size == 0) {
            return 0;
        }
        if (settings.format() == RecordFormat.RAW) {
            long boundary = lastRawBoundary(file, size);
            if (boundary == size) {
                return size;
            }
            file.truncate(boundary);
            tornRecords.incrementAndGet();
            LOG.warn(
                    "File sink {}: {} ended in a torn record ({} bytes after the last complete one, cut by a crash or a"
                            + " full disk); cut it off",
                    name, path, size - boundary);
            return boundary;
        }
        long cut = TornLines.cutOff(file, size);
        if (cut > 0) {
            tornRecords.incrementAndGet();
            LOG.warn(
                    "File sink {}: {} ended in a torn line ({} bytes after the last complete record, cut by a crash or a"
                            + " full disk); cut it off, so that every line is a whole record",
                    name, path, cut);
        }
        return size - cut;
    }

    /** Walks the length prefixes of a raw file: the end of its last complete record. */
    private static long lastRawBoundary(FileChannel file, long size) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(4);
        long position = 0;
        while (position + 4 <= size) {
            length.clear();
            while (length.hasRemaining() && file.read(length, position + length.position()) > 0) {
                // read all four bytes
            }
            long next = position + 4 + (length.getInt(0) & 0xFFFFFFFFL);
            if (next > size) {
                return position;
            }
            position = next;
        }
        return position;
    }

    /**
     * Writes the buffer (records only, ending on a record boundary) to the file, retrying while it fails when
     * {@code mayWait}. A partial write is cut back to the last complete record; complete records count as written.
     *
     * @return true when everything was written; false when the writer gave up (stop, stop budget) or, without
     *         {@code mayWait}, after one failed attempt; the unwritten records are then still held
     */
    private boolean writeOut(boolean force, boolean mayWait) throws Exception {
        if (buffer.position() == 0) {
            return true;
        }
        long start = System.nanoTime();
        while (true) {
            IOException error;
            long base = -1;
            buffer.flip();
            try {
                if (channel == null) {
                    openNewestOnce();
                }
                base = channel.position();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                buffer.clear();
                if (force) {
                    forceQuietly();
                }
                written(buffered.size(), System.nanoTime() - start);
                failure.recovered(sinkName());
                return true;
            } catch (IOException e) {
                error = e;
            }
            keepCompleteRecords(base, System.nanoTime() - start);
            if (!mayWait) {
                failure.failed(sinkName(), currentFile != null ? currentFile : settings.directory(), error);
                bufferedPerRoute.retried();
                return false;
            }
            if (!waitBeforeRetry(error, false)) {
                return false;
            }
        }
    }

    private void openNewestOnce() throws IOException {
        String date = settings.names().dateAt(settings.clock().millis());
        int index = currentDate != null && currentDate.equals(date) ? currentIndex : 0;
        if (index == 0) {
            while (Files.exists(settings.directory().resolve(settings.names().fileName(date, index + 1)))) {
                index++;
            }
        }
        openAt(date, index);
    }

    /**
     * After a failed write from {@code base}: the bytes of the complete records that reached the file stay, the file is
     * cut back to their end, and the buffer keeps only the rest (ready to be written again).
     */
    private void keepCompleteRecords(long base, long nanos) {
        int reached = base < 0 ? 0 : buffer.position();
        int complete = 0;
        while (complete < buffered.size() && recordEnds[complete] <= reached) {
            complete++;
        }
        int boundary = complete == 0 ? 0 : recordEnds[complete - 1];
        if (base >= 0) {
            try {
                channel.truncate(base + boundary);
                channel.position(base + boundary);
            } catch (IOException e) {
                // cannot tell where the file ends: open it afresh, which ends it at a record boundary
                closeQuietly();
            }
        }
        if (complete > 0) {
            written(complete, nanos);
        }
        buffer.position(boundary);
        buffer.compact();
        for (int i = complete; i < buffered.size(); i++) {
            recordEnds[i - complete] = recordEnds[i] - boundary;
        }
        int left = buffered.size() - complete;
        if (complete > 0) {
            buffered.subList(0, complete).clear();
            bufferedMeters.subList(0, complete).clear();
            bufferedPerRoute.clear();
            bufferedMeters.forEach(bufferedPerRoute::add);
        }
        currentSize = base < 0 ? currentSize : base + boundary + buffer.position();
        assert buffered.size() == left;
    }

    /** The first {@code count} held records are in the file. */
    private void written(int count, long nanos) {
        if (count == buffered.size()) {
            if (!bufferedPerRoute.isEmpty()) {
                bufferedPerRoute.written(nanos);
            }
            buffered.clear();
            bufferedMeters.clear();
            return;
        }
        WriteTally prefix = new WriteTally();
        bufferedMeters.subList(0, count).forEach(prefix::add);
        prefix.written(nanos);
    }

    /**
     * One failed attempt: logged once per episode, counted as a retry, then a backoff wait (cut short by a stop).
     *
     * @return false when the writer must give up instead (stopping, or the context's stop budget ran out)
     */
    private boolean waitBeforeRetry(IOException error, boolean opening) throws InterruptedException {
        int attempt = failure.failed(sinkName(), currentFile != null ? currentFile : settings.directory(), error);
        if (bufferedPerRoute.isEmpty()) {
            appending.retried();
        } else {
            bufferedPerRoute.retried();
        }
        if (stopping || budget.expired()) {
            return false;
        }
        long delay = settings.backoff().delayMillis(Math.min(attempt, 30), 0);
        long untilGiveUp = TimeUnit.NANOSECONDS.toMillis(budget.giveUpInNanos());
        return !stopSignal.await(Math.max(1, Math.min(delay, untilGiveUp)), TimeUnit.MILLISECONDS) && !stopping
                && !budget.expired();
    }

    /**
     * The writer gives up on what it holds (stop, or the stop budget ran out while the disk failed): it goes to the
     * dead letter, with {@code extra} (a message not yet held) after it; from now on records go there straight away.
     */
    private void giveUpHeld(Object extra, SinkMeters extraMeters) throws Exception {
        stopping = true;
        List<Object> lost = new ArrayList<>(buffered);
        WriteTally lostPerRoute = new WriteTally();
        bufferedMeters.forEach(lostPerRoute::add);
        if (extra != null) {
            lost.add(extra);
            lostPerRoute.add(extraMeters);
        }
        buffered.clear();
        bufferedMeters.clear();
        bufferedPerRoute.clear();
        buffer.clear();
        unflushed = 0;
        if (lost.isEmpty()) {
            return;
        }
        Exception cause = failure.lastError() != null ? failure.lastError()
                : new IllegalStateException("file sink " + name + " stopped");
        LOG.warn("File sink {}: gave up writing to {} ({}); {} message(s) go to the dead letter", name,
                currentFile != null ? currentFile : settings.directory(), cause.getMessage(), lost.size());
        lostRecords.lost(lost, cause);
        lostPerRoute.deadLettered();
    }

    private String sinkName() {
        return "sink-file:" + name;
    }

    private void forceQuietly() {
        try {
            channel.force(false);
        } catch (IOException e) {
            // the bytes are in the file (the page cache); a failed fsync cannot be retried reliably, so say so
            LOG.warn("File sink {}: forcing {} to disk failed: {}", name, currentFile, e.getMessage());
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
        }
    }
}
