package io.wslistener.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.LoopSnapshot;
import io.wslistener.spi.Feed;
import io.wslistener.support.Durations;

/**
 * Counts what a periodic summary line of one feed reports, without needing Micrometer: messages and connects, counted
 * on the loop's event loop, read by whoever writes the line.
 */
final class FeedSummary implements ConnectionListener {

    private final Feed feed;
    private final LongSupplier nanoClock;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    // touched only by the one thread writing the lines
    private long messagesAtLastLine;
    private long lastLineNanos;

    FeedSummary(Feed feed, LongSupplier nanoClock) {
        this.feed = feed;
        this.nanoClock = nanoClock;
        this.lastLineNanos = nanoClock.getAsLong();
    }

    Feed feed() {
        return feed;
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        connects.incrementAndGet();
    }

    @Override
    public void onMessage() {
        messages.incrementAndGet();
    }

    /**
     * The summary since the previous call, for example {@code Route 'quotes': 1200 messages in the last 60s (20.0/s),
     * 98765 in total, 2 reconnects, 0 in flight, open (connection #3)}.
     */
    String nextLine() {
        long now = nanoClock.getAsLong();
        long total = messages.get();
        long recent = total - messagesAtLastLine;
        double seconds = Math.max(1, now - lastLineNanos) / 1e9;
        messagesAtLastLine = total;
        lastLineNanos = now;
        LoopSnapshot snapshot = feed.loop().snapshot();
        String state = snapshot.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        long paused = feed.delivery().pausedForNanos() / 1_000_000_000L;
        long failures = feed.delivery().failures();
        String trouble = (paused > 0 ? ", reading paused for " + paused + "s" : "")
                + (failures > 0 ? ", " + failures + " lost to " + feed.delivery().lastFailure() : "");
        return String.format(Locale.ROOT,
                "Route '%s': %d messages in the last %s (%.1f/s), %d in total, %d reconnects, %d in flight, %s%s",
                feed.routeId(), recent, Durations.formatRounded(Duration.ofMillis(Math.round(seconds * 1000))),
                recent / seconds, total, Math.max(0, connects.get() - 1),
                feed.inFlight().getAsInt(), state,
                snapshot.connections() > 0 ? " (connection #" + snapshot.connections() + ")" : "") + trouble;
    }
}
