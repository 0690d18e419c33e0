package io.wslistener.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.spi.Feed;

/**
 * The numbers behind one feed's series in a Prometheus registry ({@link PrometheusFeedSeries} writes them at each
 * scrape): the same series as {@link ConnectionMeters}, held as plain counts instead of Micrometer meters.
 * <p>
 * A Micrometer meter in the Prometheus registry costs about 430 bytes (its id, three map entries in the registry, a
 * child in the Prometheus collector of its name); a feed's 26 meters were a third of its heap, 12.6 KB
 * ({@code bench/run.sh footprint}). Here a count is a slot of one array. Events arrive on the feed's event loop only,
 * so each count has a single writer: it is written with release and read with acquire semantics, no atomic add; the
 * rarer series (by close code, by server, the pause maximum) are made when first needed, by that one writer.
 */
final class FeedSeries implements ConnectionListener, FeedMeterSet {

    /** The counts of the array, by position. */
    enum Count {
        CONNECTS, GIVE_UPS, PLANNED_RECONNECTS, PINGS_SENT, PONGS_RECEIVED, PONG_TIMEOUTS, HEARTBEAT_REPLIES, IDLE_TIMEOUTS, MESSAGES_RECEIVED, RECEIVED_BYTES, PONG_RTT_COUNT, PONG_RTT_NANOS, PAUSE_COUNT, PAUSE_NANOS
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int FAILURES_AT = Count.values().length;

    private final Feed feed;
    private final Consumer<FeedSeries> onRemove;
    private final long createdMillis;
    // Count, then one slot per FailureCause
    private final long[] counts = new long[FAILURES_AT + FailureCause.values().length];
    private final Clock clock;
    private final DistributionStatisticConfig maxWindow;
    private final TimeWindowMax pongRttMax;
    // made on the first pause: most feeds never pause
    private volatile TimeWindowMax pauseMax;
    // by close code, as the Micrometer meters: a series once the code has been seen (a bounded set); made on the
    // first disconnect
    private volatile Map<String, AtomicLong> disconnects = Map.of();
    // every server URL the feed has used, masked (one, unless it has serverUrls)
    private volatile List<String> servers = List.of();

    /**
     * @param clock the registry's clock, for the decaying maximum of the timers (the registry's own timers use it)
     * @param step  how long a maximum is kept, the registry's step as its timers have it
     * @param onRemove takes the series out of what is written
     */
    FeedSeries(Feed feed, Clock clock, Duration step, Consumer<FeedSeries> onRemove) {
        this.feed = feed;
        this.onRemove = onRemove;
        this.createdMillis = clock.wallTime();
        this.clock = clock;
        this.maxWindow = DistributionStatisticConfig.builder().expiry(step).build()
                .merge(DistributionStatisticConfig.DEFAULT);
        this.pongRttMax = new TimeWindowMax(clock, maxWindow);
    }

    @Override
    public Feed feed() {
        return feed;
    }

    @Override
    public void remove() {
        onRemove.accept(this);
    }

    long createdMillis() {
        return createdMillis;
    }

    long count(Count count) {
        return (long) SLOT.getAcquire(counts, count.ordinal());
    }

    long failures(FailureCause cause) {
        return (long) SLOT.getAcquire(counts, FAILURES_AT + cause.ordinal());
    }

    double pongRttMaxSeconds() {
        return pongRttMax.poll(TimeUnit.SECONDS);
    }

    double pauseMaxSeconds() {
        TimeWindowMax max = pauseMax;
        return max == null ? 0 : max.poll(TimeUnit.SECONDS);
    }

    Map<String, AtomicLong> disconnects() {
        return disconnects;
    }

    List<String> servers() {
        return servers;
    }

    private void add(int slot, long amount) {
        SLOT.setRelease(counts, slot, counts[slot] + amount);
    }

    private void add(Count count, long amount) {
        add(count.ordinal(), amount);
    }

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
        String target = feed.loop().snapshot().target();
        List<String> known = servers;
        if (target != null && !known.contains(target)) {
            List<String> more = new ArrayList<>(known);
            more.add(target);
            servers = List.copyOf(more);
        }
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        add(Count.CONNECTS, 1);
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        Map<String, AtomicLong> byCode = disconnects;
        if (byCode.isEmpty()) {
            byCode = new ConcurrentHashMap<>(2);
            disconnects = byCode;
        }
        byCode.computeIfAbsent(CloseCodeTag.of(closeCode, feed.settings().stopOnCloseCodeSet()),
                code -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause cause, String description) {
        add(FAILURES_AT + cause.ordinal(), 1);
    }

    @Override
    public void onGaveUp(String reason) {
        add(Count.GIVE_UPS, 1);
    }

    @Override
    public void onPlannedReconnect(long connectionNumber, String reason) {
        add(Count.PLANNED_RECONNECTS, 1);
    }

    @Override
    public void onPingSent() {
        add(Count.PINGS_SENT, 1);
    }

    @Override
    public void onPong(long roundTripNanos) {
        add(Count.PONGS_RECEIVED, 1);
        add(Count.PONG_RTT_COUNT, 1);
        add(Count.PONG_RTT_NANOS, roundTripNanos);
        pongRttMax.record(roundTripNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onHeartbeatReply() {
        add(Count.HEARTBEAT_REPLIES, 1);
    }

    @Override
    public void onPongTimeout() {
        add(Count.PONG_TIMEOUTS, 1);
    }

    @Override
    public void onIdleTimeout() {
        add(Count.IDLE_TIMEOUTS, 1);
    }

    @Override
    public void onMessage() {
        add(Count.MESSAGES_RECEIVED, 1);
    }

    @Override
    public void onBytes(int size) {
        add(Count.RECEIVED_BYTES, size);
    }

    @Override
    public void onReadingResumed(long pausedNanos) {
        add(Count.PAUSE_COUNT, 1);
        add(Count.PAUSE_NANOS, pausedNanos);
        TimeWindowMax max = pauseMax;
        if (max == null) {
            max = new TimeWindowMax(clock, maxWindow);
            pauseMax = max;
        }
        max.record(pausedNanos, TimeUnit.NANOSECONDS);
    }
}
