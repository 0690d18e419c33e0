package io.wslistener.sink.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.WriteTally;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The records a Kafka sink has handed to its producer and Kafka has not yet confirmed, in arrival order, bounded in
 * records and in bytes.
 * <p>
 * The route hands a record over and goes on at once: the sink is pipelined, with up to {@code maxRecords} (and
 * {@code maxBytes}) records on their way, where a send that waited for each confirmation would have one. A full window
 * holds the route ({@link #reserve} waits), and the ws-listener consumer then pauses the socket by its own bounds:
 * a broker that is down costs at most the window in memory.
 * <p>
 * The window advances in arrival order: a slot is freed when the oldest record is settled (confirmed by Kafka, or
 * written to the dead letter), never past a record still on its way. So the window is exactly what a crash can lose,
 * and what a stop must account for. A record Kafka refuses (too large, not authorized, the delivery timeout ran out)
 * keeps its slot until its dead letter is written; confirmed records free their payload at once.
 * <p>
 * Thread-safe: {@link #reserve} is called by the route's thread, the callbacks by the Kafka producer's I/O thread, the
 * dead-letter writes by the sink's dead-letter thread; all meet under one lock, held only for counting.
 */
final class SendWindow {

    /** Where refused records go, in order, off the producer's I/O thread. */
    interface Refusals {

        void refused(Slot slot);
    }

    private final int maxRecords;
    private final long maxBytes;
    private final Refusals refusals;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Slot[] ring;
    private final WriteTally tally = new WriteTally();
    // changed under lock only; volatile so that the meters and the health check read them without it
    private volatile long head;
    private volatile long tail;
    private volatile long bytes;
    private volatile long confirmed;
    private volatile long oldestSentNanos;

    SendWindow(int maxRecords, long maxBytes, Refusals refusals) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.refusals = refusals;
        this.ring = new Slot[maxRecords];
    }

    /** One record on its way: the Kafka callback of its send. */
    final class Slot implements Callback {

        private Object message;
        private final SinkMeters meters;
        private final long size;
        private final long sentNanos;
        private Exception failure;
        private boolean settled;

        private Slot(Object message, SinkMeters meters, long size) {
            this.message = message;
            this.meters = meters;
            this.size = size;
            this.sentNanos = System.nanoTime();
        }

        /** The message as received (text or bytes); null once it is confirmed. */
        Object message() {
            return message;
        }

        SinkMeters meters() {
            return meters;
        }

        /** Why Kafka refused it; null when it was confirmed. */
        Exception failure() {
            return failure;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                settle(this, null);
            } else {
                lock.lock();
                try {
                    failure = exception;
                } finally {
                    lock.unlock();
                }
                refusals.refused(this);
            }
        }

        /** Its dead letter is written (or could not be): the slot may go. */
        void deadLettered() {
            settle(this, failure);
        }
    }

    /**
     * A slot for the next record, waiting while the window is full (in records, or in bytes: a message larger than
     * {@code maxBytes} is still taken, alone, once the window is empty).
     *
     * @param  keepWaiting asked every 100 ms while waiting; when it says no, no slot is taken
     * @return             the slot, the callback of the record's send; null when {@code keepWaiting} said no
     */
    Slot reserve(Object message, SinkMeters meters, long size, java.util.function.BooleanSupplier keepWaiting)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (tail - head >= maxRecords || (tail > head && bytes + size > maxBytes)) {
                if (!keepWaiting.getAsBoolean()) {
                    return null;
                }
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            Slot slot = new Slot(message, meters, size);
            if (tail == head) {
                oldestSentNanos = slot.sentNanos;
            }
            ring[(int) (tail++ % maxRecords)] = slot;
            bytes += size;
            return slot;
        } finally {
            lock.unlock();
        }
    }

    private void settle(Slot slot, Exception failure) {
        lock.lock();
        try {
            slot.settled = true;
            if (failure == null) {
                slot.message = null;
            }
            advance();
        } finally {
            lock.unlock();
        }
    }

    /** Frees the settled slots at the head, counts them on their routes' meters, and wakes a waiting route. */
    private void advance() {
        long freed = head;
        long latestSent = 0;
        int written = 0;
        while (head < tail) {
            int index = (int) (head % maxRecords);
            Slot oldest = ring[index];
            if (!oldest.settled) {
                break;
            }
            ring[index] = null;
            head++;
            bytes -= oldest.size;
            if (oldest.failure == null) {
                written++;
                latestSent = oldest.sentNanos;
                tally.add(oldest.meters);
            }
        }
        if (written > 0) {
            confirmed += written;
            // one timing per advance: from the send of the newest record it confirmed to now
            tally.written(System.nanoTime() - latestSent);
        }
        if (head != freed) {
            oldestSentNanos = head < tail ? ring[(int) (head % maxRecords)].sentNanos : 0;
            changed.signalAll();
        }
    }

    /** Waits until every record is settled, or the timeout passes; true when the window is empty. */
    boolean awaitEmpty(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lockInterruptibly();
        try {
            long left;
            while (tail > head && (left = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(left);
            }
            return tail == head;
        } finally {
            lock.unlock();
        }
    }

    /** The records not yet confirmed or refused, oldest first (their messages), for a last account at a stop. */
    List<Slot> unsettled() {
        lock.lock();
        try {
            List<Slot> slots = new ArrayList<>();
            for (long i = head; i < tail; i++) {
                Slot slot = ring[(int) (i % maxRecords)];
                if (!slot.settled && slot.failure == null) {
                    slots.add(slot);
                }
            }
            return slots;
        } finally {
            lock.unlock();
        }
    }

    /** Records in the window: sent and not yet settled, or settled behind an older one still on its way. */
    int records() {
        return (int) (tail - head);
    }

    /** Bytes of the records in the window (text: its characters). */
    long bytes() {
        return bytes;
    }

    /** How long the oldest record in the window has waited, in nanoseconds; 0 when the window is empty. */
    long oldestWaitNanos() {
        long oldest = oldestSentNanos;
        return records() == 0 ? 0 : System.nanoTime() - oldest;
    }

    /** Records Kafka confirmed. */
    long confirmedCount() {
        return confirmed;
    }
}
