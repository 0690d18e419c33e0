package io.wslistener.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.BaseUnits;

/**
 * The meters of a feed: name, type, base unit, the tag beyond {@code routeId} and the description, once for both ways
 * they are written ({@link ConnectionMeters} as Micrometer meters, {@link FeedSeries} into a Prometheus registry).
 */
enum FeedMetric {

    CONNECTION_STATE(MeterNames.CONNECTION_STATE, Meter.Type.GAUGE, null, null,
            "Connection state: 0 connecting, 1 open, 2 backing off, 3 stopped, 4 failed"), SEQUENCE_GAPS(
                    MeterNames.SEQUENCE_GAPS, Meter.Type.COUNTER, null, null,
                    "Messages whose sequenceField did not follow the previous message's"), MESSAGES_IN_FLIGHT(
                            MeterNames.MESSAGES_IN_FLIGHT, Meter.Type.GAUGE, null, null,
                            "Messages received and not yet processed by the route"), MESSAGES_IN_FLIGHT_BYTES(
                                    MeterNames.MESSAGES_IN_FLIGHT_BYTES, Meter.Type.GAUGE, BaseUnits.BYTES, null,
                                    "Bytes of the messages received and not yet processed (text counts its characters)"), BACKPRESSURE_PAUSED(
                                            MeterNames.BACKPRESSURE_PAUSED, Meter.Type.GAUGE, "seconds", null,
                                            "How long reading has been paused right now, 0 while reading"), MESSAGES_OLDEST_AGE(
                                                    MeterNames.MESSAGES_OLDEST_AGE, Meter.Type.GAUGE, "seconds", null,
                                                    "How long the oldest message received and not yet processed has waited, 0 when none waits; above"
                                                            + " stalledTimeout the feed is stalled"), DELIVERY_FAILURES(
                                                                    MeterNames.DELIVERY_FAILURES, Meter.Type.COUNTER,
                                                                    null, null,
                                                                    "Messages whose processing ended in an Error the route did not handle (lost)"), CONNECTS(
                                                                            MeterNames.CONNECTS, Meter.Type.COUNTER,
                                                                            null, null,
                                                                            "WebSocket handshakes that completed"), CONNECT_FAILURES(
                                                                                    MeterNames.CONNECT_FAILURES,
                                                                                    Meter.Type.COUNTER, null,
                                                                                    MeterNames.CAUSE,
                                                                                    "Connect attempts that failed, by cause category"), GIVE_UPS(
                                                                                            MeterNames.GIVE_UPS,
                                                                                            Meter.Type.COUNTER, null,
                                                                                            null,
                                                                                            "Times the loop gave up and stopped the route"), PLANNED_RECONNECTS(
                                                                                                    MeterNames.PLANNED_RECONNECTS,
                                                                                                    Meter.Type.COUNTER,
                                                                                                    null, null,
                                                                                                    "Connections closed by ws-listener to reconnect at once (maxConnectionAge, JMX reconnectNow)"), PINGS_SENT(
                                                                                                            MeterNames.PINGS_SENT,
                                                                                                            Meter.Type.COUNTER,
                                                                                                            null, null,
                                                                                                            "Keep-alive pings sent"), PONGS_RECEIVED(
                                                                                                                    MeterNames.PONGS_RECEIVED,
                                                                                                                    Meter.Type.COUNTER,
                                                                                                                    null,
                                                                                                                    null,
                                                                                                                    "Pongs received for our pings"), PONG_RTT(
                                                                                                                            MeterNames.PONG_RTT,
                                                                                                                            Meter.Type.TIMER,
                                                                                                                            null,
                                                                                                                            null,
                                                                                                                            "Round trip from ping to pong"), PONG_TIMEOUTS(
                                                                                                                                    MeterNames.PONG_TIMEOUTS,
                                                                                                                                    Meter.Type.COUNTER,
                                                                                                                                    null,
                                                                                                                                    null,
                                                                                                                                    "Connections dropped because no pong came in time"), HEARTBEAT_REPLIES(
                                                                                                                                            MeterNames.HEARTBEAT_REPLIES,
                                                                                                                                            Meter.Type.COUNTER,
                                                                                                                                            null,
                                                                                                                                            null,
                                                                                                                                            "Messages matching pongMessage taken as the reply to a heartbeat, not passed on to the route"), IDLE_TIMEOUTS(
                                                                                                                                                    MeterNames.IDLE_TIMEOUTS,
                                                                                                                                                    Meter.Type.COUNTER,
                                                                                                                                                    null,
                                                                                                                                                    null,
                                                                                                                                                    "Connections dropped because no message came in time"), MESSAGES_RECEIVED(
                                                                                                                                                            MeterNames.MESSAGES_RECEIVED,
                                                                                                                                                            Meter.Type.COUNTER,
                                                                                                                                                            null,
                                                                                                                                                            null,
                                                                                                                                                            "WebSocket messages received"), RECEIVED(
                                                                                                                                                                    MeterNames.RECEIVED,
                                                                                                                                                                    Meter.Type.COUNTER,
                                                                                                                                                                    BaseUnits.BYTES,
                                                                                                                                                                    null,
                                                                                                                                                                    "Payload received (text messages count their characters)"), BACKPRESSURE_PAUSE(
                                                                                                                                                                            MeterNames.BACKPRESSURE_PAUSE,
                                                                                                                                                                            Meter.Type.TIMER,
                                                                                                                                                                            null,
                                                                                                                                                                            null,
                                                                                                                                                                            "Time reading was paused because the route fell maxInFlight messages behind"), DISCONNECTS(
                                                                                                                                                                                    MeterNames.DISCONNECTS,
                                                                                                                                                                                    Meter.Type.COUNTER,
                                                                                                                                                                                    null,
                                                                                                                                                                                    MeterNames.CLOSE_CODE,
                                                                                                                                                                                    "Open connections that ended, by the server's close code (none: no close frame;"
                                                                                                                                                                                            + " 3xxx, 4xxx, other: codes without a series of their own)"), SERVER(
                                                                                                                                                                                                    MeterNames.SERVER,
                                                                                                                                                                                                    Meter.Type.GAUGE,
                                                                                                                                                                                                    null,
                                                                                                                                                                                                    MeterNames.URL,
                                                                                                                                                                                                    "1 for the server URL in use (secrets masked), 0 for the others the feed has used");

    private final String meterName;
    private final Meter.Type type;
    private final String baseUnit;
    private final String tag;
    private final String description;

    FeedMetric(String meterName, Meter.Type type, String baseUnit, String tag, String description) {
        this.meterName = meterName;
        this.type = type;
        this.baseUnit = baseUnit;
        this.tag = tag;
        this.description = description;
    }

    /** The Micrometer name, as {@link MeterNames} has it. */
    String meterName() {
        return meterName;
    }

    Meter.Type type() {
        return type;
    }

    /** The base unit, or null. */
    String baseUnit() {
        return baseUnit;
    }

    /** The tag besides {@code routeId}, or null. */
    String tag() {
        return tag;
    }

    String description() {
        return description;
    }
}
