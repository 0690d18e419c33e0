package io.wslistener.spi;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.wslistener.connection.ConnectionListener;

/**
 * What observers (health, meters, the summary line) need to know about a feed's hand-off beyond the message count:
 * the bytes waiting, how long the oldest message has waited, how long reading has been paused right now, and whether
 * processing a message ever failed with
 * something the route could not handle (an {@link Error} such as an OutOfMemoryError).
 * <p>
 * The pause is followed from the loop's own events, on its context; the readers are other threads.
 */
public final class DeliveryStatus implements ConnectionListener {

    private final LongSupplier inFlightBytes;
    private final LongSupplier oldestWaitNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;
    // System.nanoTime() of the current pause, or 0 while reading
    private volatile long pausedSinceNanos;

    /**
     * @param inFlightBytes   bytes of the messages received and not yet processed
     * @param oldestWaitNanos how long the oldest of them has waited, 0 when none waits
     */
    public DeliveryStatus(LongSupplier inFlightBytes, LongSupplier oldestWaitNanos) {
        this(inFlightBytes, oldestWaitNanos, System::nanoTime);
    }

    DeliveryStatus(LongSupplier inFlightBytes, LongSupplier oldestWaitNanos, LongSupplier nanoClock) {
        this.inFlightBytes = inFlightBytes;
        this.oldestWaitNanos = oldestWaitNanos;
        this.nanoClock = nanoClock;
    }

    /** Bytes of the messages received and not yet processed (text counts its characters). */
    public long inFlightBytes() {
        return inFlightBytes.getAsLong();
    }

    /**
     * How long the oldest message received and not yet processed has waited for the route, in nanoseconds; 0 when none
     * waits. Above {@code stalledTimeout} the feed is stalled.
     */
    public long oldestWaitNanos() {
        return oldestWaitNanos.getAsLong();
    }

    /** How long reading has been paused without a break, in nanoseconds; 0 while reading. */
    public long pausedForNanos() {
        long since = pausedSinceNanos;
        return since == 0 ? 0 : Math.max(1, nanoClock.getAsLong() - since);
    }

    /** Messages whose processing ended in something the route did not handle (an Error), since the route started. */
    public long failures() {
        return failures.get();
    }

    /** The last such failure, as {@code ClassName: message}, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Counts a failure the route did not handle; called by the hand-off. */
    public void failed(Throwable error) {
        failed(error, 1);
    }

    /** Counts each of the {@code messages} (a batch's) that one failure the route did not handle cut off. */
    public void failed(Throwable error, long messages) {
        failures.addAndGet(messages);
        String message = error.getMessage();
        lastFailure = error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void onReadingPaused() {
        long now = nanoClock.getAsLong();
        pausedSinceNanos = now == 0 ? 1 : now;
    }

    @Override
    public void onReadingResumed(long pausedNanos) {
        pausedSinceNanos = 0;
    }
}
