package io.wslistener.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.LoopSnapshot;
import io.wslistener.support.UriMasking;

/**
 * What an operator asks about one feed (dev console, JMX): the loop's published {@link LoopSnapshot} plus
 * what only its events tell, counted here: messages and their recent rate, time spent with reading paused, the last
 * pong round trip and the last failure. Written by the loop's context (one thread), read by any.
 */
public final class FeedStatus implements ConnectionListener {

    /** The rate is the average over this many complete seconds. */
    static final int RATE_WINDOW_SECONDS = 10;
    private static final long SECOND = 1_000_000_000L;

    private final Feed feed;
    private final LongSupplier nanoClock;
    private final long startedSecond;
    // single writer (the loop's context): lazySet publishes without a locked instruction per message
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLongArray bucketSecond = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);
    private final AtomicLongArray bucketCount = new AtomicLongArray(RATE_WINDOW_SECONDS + 1);
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong pausedNanos = new AtomicLong();
    private volatile long pausedSinceNanos = -1;
    private volatile long lastPongNanos = -1;
    private volatile Failure lastFailure;

    /** The cause of the last failed attempt, lost connection or give-up, and when it happened. */
    public record Failure(String cause, Instant at) {
    }

    public FeedStatus(Feed feed) {
        this(feed, System::nanoTime);
    }

    FeedStatus(Feed feed, LongSupplier nanoClock) {
        this.feed = feed;
        this.nanoClock = nanoClock;
        this.startedSecond = nanoClock.getAsLong() / SECOND;
        for (int i = 0; i < bucketSecond.length(); i++) {
            bucketSecond.set(i, Long.MIN_VALUE);
        }
    }

    public Feed feed() {
        return feed;
    }

    public LoopSnapshot snapshot() {
        return feed.loop().snapshot();
    }

    public long messages() {
        return messages.get();
    }

    /** Messages per second over the last {@value #RATE_WINDOW_SECONDS} complete seconds (fewer right after start). */
    public double messagesPerSecond() {
        long now = nanoClock.getAsLong() / SECOND;
        long seconds = Math.min(RATE_WINDOW_SECONDS, now - startedSecond);
        if (seconds <= 0) {
            return 0;
        }
        long sum = 0;
        for (int i = 0; i < bucketSecond.length(); i++) {
            long second = bucketSecond.get(i);
            if (second < now && second >= now - seconds) {
                sum += bucketCount.get(i);
            }
        }
        return (double) sum / seconds;
    }

    public int inFlight() {
        return feed.inFlight().getAsInt();
    }

    public boolean readingPaused() {
        return pausedSinceNanos >= 0;
    }

    public boolean readingHeld() {
        return feed.loop().readingHeld();
    }

    /** Total time reading was paused, the pause going on now included. */
    public Duration pausedTime() {
        long since = pausedSinceNanos;
        long current = since >= 0 ? Math.max(0, nanoClock.getAsLong() - since) : 0;
        return Duration.ofNanos(pausedNanos.get() + current);
    }

    /** The round trip of the last pong, or null before the first. */
    public Duration lastPongRoundTrip() {
        long nanos = lastPongNanos;
        return nanos < 0 ? null : Duration.ofNanos(nanos);
    }

    /** The last failure, or null when there was none since the feed started; secrets in its cause masked. */
    public Failure lastFailure() {
        Failure failure = lastFailure;
        return failure == null ? null : new Failure(UriMasking.maskUrlsIn(failure.cause()), failure.at());
    }

    public long reconnects() {
        return Math.max(0, connects.get() - 1);
    }

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
        // the loop backs off or gives up with the cause of what went wrong: failed attempt, lost connection, close code
        if ((to == ConnectionState.BACKING_OFF || to == ConnectionState.FAILED) && cause != null) {
            lastFailure = new Failure(cause, Instant.ofEpochMilli(feed.loop().snapshot().sinceEpochMillis()));
        }
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        connects.lazySet(connects.get() + 1);
    }

    @Override
    public void onMessage() {
        long second = nanoClock.getAsLong() / SECOND;
        int i = (int) Math.floorMod(second, (long) bucketSecond.length());
        if (bucketSecond.get(i) != second) {
            // the count first: a reader that sees the new second sees the reset count too
            bucketCount.lazySet(i, 0);
            bucketSecond.lazySet(i, second);
        }
        bucketCount.lazySet(i, bucketCount.get(i) + 1);
        messages.lazySet(messages.get() + 1);
    }

    @Override
    public void onPong(long roundTripNanos) {
        lastPongNanos = roundTripNanos;
    }

    @Override
    public void onReadingPaused() {
        pausedSinceNanos = nanoClock.getAsLong();
    }

    @Override
    public void onReadingResumed(long pausedNanos) {
        this.pausedNanos.lazySet(this.pausedNanos.get() + pausedNanos);
        pausedSinceNanos = -1;
    }
}
