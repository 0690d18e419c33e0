package io.wslistener.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.spi.DeliveryStatus;
import io.wslistener.spi.Feed;

/**
 * The meters of one feed, fed by its connection loop's events. Callbacks run on the loop's event loop, so each one only
 * bumps a meter; the gauges are read by the scraping thread from the loop's published snapshot and the hand-off count.
 */
final class ConnectionMeters implements ConnectionListener, FeedMeterSet {

    private final MeterRegistry registry;
    private final Feed feed;
    private final Tags tags;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile boolean removed;

    private final Counter connects;
    private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();
    private final Map<String, Gauge> servers = new ConcurrentHashMap<>();
    private final Map<FailureCause, Counter> failures = new EnumMap<>(FailureCause.class);
    private final Counter giveUps;
    private final Counter plannedReconnects;
    private final Counter pingsSent;
    private final Counter pongsReceived;
    private final Timer pongRoundTrip;
    private final Counter pongTimeouts;
    private final Counter heartbeatReplies;
    private final Counter idleTimeouts;
    private final Counter messages;
    private final Counter bytes;
    private final Timer backpressurePauses;

    ConnectionMeters(MeterRegistry registry, Feed feed) {
        this.registry = registry;
        this.feed = feed;
        this.tags = Tags.of(MeterNames.ROUTE_ID, feed.routeId());

        ConnectionLoop loop = feed.loop();
        track(gauge(FeedMetric.CONNECTION_STATE, loop, l -> l.state().gaugeValue()).register(registry));
        track(FunctionCounter.builder(MeterNames.SEQUENCE_GAPS, feed, f -> f.sequenceGaps().getAsLong())
                .description(FeedMetric.SEQUENCE_GAPS.description()).tags(tags).register(registry));
        track(gauge(FeedMetric.MESSAGES_IN_FLIGHT, feed.inFlight(), IntSupplier::getAsInt).register(registry));

        DeliveryStatus delivery = feed.delivery();
        track(gauge(FeedMetric.MESSAGES_IN_FLIGHT_BYTES, delivery, DeliveryStatus::inFlightBytes).register(registry));
        track(gauge(FeedMetric.BACKPRESSURE_PAUSED, delivery, d -> d.pausedForNanos() / 1e9).register(registry));
        track(gauge(FeedMetric.MESSAGES_OLDEST_AGE, delivery, d -> d.oldestWaitNanos() / 1e9).register(registry));
        track(FunctionCounter.builder(MeterNames.DELIVERY_FAILURES, delivery, DeliveryStatus::failures)
                .description(FeedMetric.DELIVERY_FAILURES.description()).tags(tags).register(registry));

        connects = counter(FeedMetric.CONNECTS);
        for (FailureCause cause : FailureCause.values()) {
            // all categories from the start, so that increase() works from the first failure on
            failures.put(cause, track(Counter.builder(MeterNames.CONNECT_FAILURES)
                    .description(FeedMetric.CONNECT_FAILURES.description())
                    .tags(tags).tag(MeterNames.CAUSE, cause.tag()).register(registry)));
        }
        giveUps = counter(FeedMetric.GIVE_UPS);
        plannedReconnects = counter(FeedMetric.PLANNED_RECONNECTS);
        pingsSent = counter(FeedMetric.PINGS_SENT);
        pongsReceived = counter(FeedMetric.PONGS_RECEIVED);
        pongRoundTrip = timer(FeedMetric.PONG_RTT);
        pongTimeouts = counter(FeedMetric.PONG_TIMEOUTS);
        heartbeatReplies = counter(FeedMetric.HEARTBEAT_REPLIES);
        idleTimeouts = counter(FeedMetric.IDLE_TIMEOUTS);
        messages = counter(FeedMetric.MESSAGES_RECEIVED);
        bytes = counter(FeedMetric.RECEIVED);
        backpressurePauses = timer(FeedMetric.BACKPRESSURE_PAUSE);
    }

    @Override
    public Feed feed() {
        return feed;
    }

    /** Removes every meter of this feed from the registry. */
    @Override
    public synchronized void remove() {
        removed = true;
        meters.forEach(registry::remove);
        meters.clear();
    }

    @Override
    public synchronized void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
        // one series per server URL the feed has used (they are the configured ones, masked: a bounded set)
        String target = feed.loop().snapshot().target();
        if (removed || target == null || servers.containsKey(target)) {
            return;
        }
        servers.put(target, track(gauge(FeedMetric.SERVER, feed.loop(),
                l -> target.equals(l.snapshot().target()) ? 1 : 0).tag(MeterNames.URL, target).register(registry)));
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        connects.increment();
    }

    @Override
    public synchronized void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        // synchronized with remove(): a check of the flag followed by a registration must not straddle a removal
        if (removed) {
            // a late event must not register a new series for a feed that is gone
            return;
        }
        String tag = CloseCodeTag.of(closeCode, feed.settings().stopOnCloseCodeSet());
        disconnects.computeIfAbsent(tag, code -> track(Counter.builder(MeterNames.DISCONNECTS)
                .description(FeedMetric.DISCONNECTS.description())
                .tags(tags).tag(MeterNames.CLOSE_CODE, code).register(registry))).increment();
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause cause, String description) {
        failures.get(cause).increment();
    }

    @Override
    public void onGaveUp(String reason) {
        giveUps.increment();
    }

    @Override
    public void onPlannedReconnect(long connectionNumber, String reason) {
        plannedReconnects.increment();
    }

    @Override
    public void onPingSent() {
        pingsSent.increment();
    }

    @Override
    public void onPong(long roundTripNanos) {
        pongsReceived.increment();
        pongRoundTrip.record(roundTripNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onHeartbeatReply() {
        heartbeatReplies.increment();
    }

    @Override
    public void onPongTimeout() {
        pongTimeouts.increment();
    }

    @Override
    public void onIdleTimeout() {
        idleTimeouts.increment();
    }

    @Override
    public void onMessage() {
        messages.increment();
    }

    @Override
    public void onBytes(int size) {
        bytes.increment(size);
    }

    @Override
    public void onReadingResumed(long pausedNanos) {
        backpressurePauses.record(pausedNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(FeedMetric metric) {
        return track(Counter.builder(metric.meterName()).baseUnit(metric.baseUnit())
                .description(metric.description()).tags(tags).register(registry));
    }

    private Timer timer(FeedMetric metric) {
        return track(Timer.builder(metric.meterName()).description(metric.description()).tags(tags)
                .register(registry));
    }

    private <T> Gauge.Builder<T> gauge(FeedMetric metric, T object, ToDoubleFunction<T> value) {
        return Gauge.builder(metric.meterName(), object, value).baseUnit(metric.baseUnit())
                .description(metric.description()).tags(tags).strongReference(true);
    }

    private <M extends Meter> M track(M meter) {
        meters.add(meter);
        return meter;
    }
}
