package io.wslistener.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
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
final class ConnectionMeters implements ConnectionListener {

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
        track(Gauge.builder(MeterNames.CONNECTION_STATE, loop, l -> l.state().gaugeValue())
                .description("Connection state: 0 connecting, 1 open, 2 backing off, 3 stopped, 4 failed")
                .tags(tags).strongReference(true).register(registry));
        track(FunctionCounter.builder(MeterNames.SEQUENCE_GAPS, feed, f -> f.sequenceGaps().getAsLong())
                .description("Messages whose sequenceField did not follow the previous message's")
                .tags(tags).register(registry));
        track(Gauge.builder(MeterNames.MESSAGES_IN_FLIGHT, feed.inFlight(), IntSupplier::getAsInt)
                .description("Messages received and not yet processed by the route")
                .tags(tags).strongReference(true).register(registry));

        DeliveryStatus delivery = feed.delivery();
        track(Gauge.builder(MeterNames.MESSAGES_IN_FLIGHT_BYTES, delivery, DeliveryStatus::inFlightBytes)
                .description("Bytes of the messages received and not yet processed (text counts its characters)")
                .baseUnit(BaseUnits.BYTES).tags(tags).strongReference(true).register(registry));
        track(Gauge.builder(MeterNames.BACKPRESSURE_PAUSED, delivery, d -> d.pausedForNanos() / 1e9)
                .description("How long reading has been paused right now, 0 while reading")
                .baseUnit("seconds").tags(tags).strongReference(true).register(registry));
        track(Gauge.builder(MeterNames.MESSAGES_OLDEST_AGE, delivery, d -> d.oldestWaitNanos() / 1e9)
                .description("How long the oldest message received and not yet processed has waited, 0 when none"
                        + " waits; above stalledTimeout the feed is stalled")
                .baseUnit("seconds").tags(tags).strongReference(true).register(registry));
        track(FunctionCounter.builder(MeterNames.DELIVERY_FAILURES, delivery, DeliveryStatus::failures)
                .description("Messages whose processing ended in an Error the route did not handle (lost)")
                .tags(tags).register(registry));

        connects = counter(MeterNames.CONNECTS, "WebSocket handshakes that completed");
        for (FailureCause cause : FailureCause.values()) {
            // all categories from the start, so that increase() works from the first failure on
            failures.put(cause, track(Counter.builder(MeterNames.CONNECT_FAILURES)
                    .description("Connect attempts that failed, by cause category")
                    .tags(tags).tag(MeterNames.CAUSE, cause.tag()).register(registry)));
        }
        giveUps = counter(MeterNames.GIVE_UPS, "Times the loop gave up and stopped the route");
        plannedReconnects = counter(MeterNames.PLANNED_RECONNECTS,
                "Connections closed by ws-listener to reconnect at once (maxConnectionAge, JMX reconnectNow)");
        pingsSent = counter(MeterNames.PINGS_SENT, "Keep-alive pings sent");
        pongsReceived = counter(MeterNames.PONGS_RECEIVED, "Pongs received for our pings");
        pongRoundTrip = timer(MeterNames.PONG_RTT, "Round trip from ping to pong");
        pongTimeouts = counter(MeterNames.PONG_TIMEOUTS, "Connections dropped because no pong came in time");
        heartbeatReplies = counter(MeterNames.HEARTBEAT_REPLIES,
                "Messages matching pongMessage taken as the reply to a heartbeat, not passed on to the route");
        idleTimeouts = counter(MeterNames.IDLE_TIMEOUTS, "Connections dropped because no message came in time");
        messages = counter(MeterNames.MESSAGES_RECEIVED, "WebSocket messages received");
        bytes = track(Counter.builder(MeterNames.RECEIVED).baseUnit(BaseUnits.BYTES)
                .description("Payload received (text messages count their characters)").tags(tags).register(registry));
        backpressurePauses = timer(MeterNames.BACKPRESSURE_PAUSE,
                "Time reading was paused because the route fell maxInFlight messages behind");
    }

    Feed feed() {
        return feed;
    }

    /** Removes every meter of this feed from the registry. */
    synchronized void remove() {
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
        servers.put(target, track(Gauge.builder(MeterNames.SERVER, feed.loop(),
                l -> target.equals(l.snapshot().target()) ? 1 : 0)
                .description("1 for the server URL in use (secrets masked), 0 for the others the feed has used")
                .tags(tags).tag(MeterNames.URL, target).strongReference(true).register(registry)));
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
                .description("Open connections that ended, by the server's close code (none: no close frame;"
                        + " 3xxx, 4xxx, other: codes without a series of their own)")
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

    private Counter counter(String name, String description) {
        return track(Counter.builder(name).description(description).tags(tags).register(registry));
    }

    private Timer timer(String name, String description) {
        return track(Timer.builder(name).description(description).tags(tags).register(registry));
    }

    private <M extends Meter> M track(M meter) {
        meters.add(meter);
        return meter;
    }
}
