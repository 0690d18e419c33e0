package io.wslistener.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
 * so each count has a single writer: it is written with release and read with acquire semantics, no atomic add.
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
    private final TimeWindowMax pongRttMax;
    private final TimeWindowMax pauseMax;
    // by close code, as the Micrometer meters: a series once the code has been seen (a bounded set)
    private final Map<String, AtomicLong> disconnects = new ConcurrentHashMap<>(2);
    // every server URL the feed has used, masked
    private final Set<String> servers = ConcurrentHashMap.newKeySet(2);

    /**
     * @param clock the registry's clock, for the decaying maximum of the timers (the registry's own timers use it)
     * @param step  how long a maximum is kept, the registry's step as its timers have it
     * @param onRemove takes the series out of what is written
     */
    FeedSeries(Feed feed, Clock clock, Duration step, Consumer<FeedSeries> onRemove) {
        this.feed = feed;
        this.onRemove = onRemove;
        this.createdMillis = clock.wallTime();
        DistributionStatisticConfig maxWindow = DistributionStatisticConfig.builder().expiry(step).build()
                .merge(DistributionStatisticConfig.DEFAULT);
        this.pongRttMax = new TimeWindowMax(clock, maxWindow);
        this.pauseMax = new TimeWindowMax(clock, maxWindow);
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
        return pauseMax.poll(TimeUnit.SECONDS);
    }

    Map<String, AtomicLong> disconnects() {
        return disconnects;
    }

    Set<String> servers() {
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
        if (target != null) {
            servers.add(target);
        }
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        add(Count.CONNECTS, 1);
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        disconnects.computeIfAbsent(CloseCodeTag.of(closeCode, feed.settings().stopOnCloseCodeSet()),
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
        pauseMax.record(pausedNanos, TimeUnit.NANOSECONDS);
    }
}
