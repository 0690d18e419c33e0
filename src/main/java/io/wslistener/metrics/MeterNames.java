package io.wslistener.metrics;

/**
 * The names and tags of ws-listener's meters, in Micrometer's dotted form; the Prometheus registry turns
 * {@code wslistener.connects} into {@code wslistener_connects_total}, timers into {@code _seconds_count/_sum/_max}.
 * Every meter carries the {@code routeId} tag, like Camel's own route meters.
 */
public final class MeterNames {

    public static final String ROUTE_ID = "routeId";
    public static final String CLOSE_CODE = "closeCode";
    public static final String CAUSE = "cause";
    public static final String SINK = "sink";
    public static final String URL = "url";

    /** Close-code tag value when the connection ended without a close frame (reset, timeout, local abandon). */
    public static final String NO_CLOSE_CODE = "none";

    public static final String CONNECTION_STATE = "wslistener.connection.state";
    public static final String CONNECTS = "wslistener.connects";
    public static final String DISCONNECTS = "wslistener.disconnects";
    public static final String CONNECT_FAILURES = "wslistener.connect.failures";
    public static final String GIVE_UPS = "wslistener.giveups";
    public static final String PLANNED_RECONNECTS = "wslistener.reconnects.planned";
    /** 1 for the server URL in use (masked, tag {@code url}), 0 for the others the feed has used. */
    public static final String SERVER = "wslistener.server";
    public static final String SEQUENCE_GAPS = "wslistener.sequence.gaps";

    public static final String PINGS_SENT = "wslistener.pings.sent";
    public static final String PONGS_RECEIVED = "wslistener.pongs.received";
    public static final String PONG_RTT = "wslistener.pong.rtt";
    public static final String PONG_TIMEOUTS = "wslistener.pong.timeouts";
    /** Messages matching {@code pongMessage} taken as the reply to a heartbeat (not passed on to the route). */
    public static final String HEARTBEAT_REPLIES = "wslistener.heartbeat.replies";
    public static final String IDLE_TIMEOUTS = "wslistener.idle.timeouts";

    public static final String MESSAGES_RECEIVED = "wslistener.messages.received";
    /** Bytes received; with base unit {@code bytes}, as Micrometer's Tomcat binder names {@code tomcat.global.received}. */
    public static final String RECEIVED = "wslistener.received";
    public static final String MESSAGES_IN_FLIGHT = "wslistener.messages.inflight";
    public static final String BACKPRESSURE_PAUSE = "wslistener.backpressure.pause";
    /** How long reading has been paused right now (0 while reading), in seconds. */
    public static final String BACKPRESSURE_PAUSED = "wslistener.backpressure.paused";
    public static final String MESSAGES_IN_FLIGHT_BYTES = "wslistener.messages.inflight.bytes";
    /** How long the oldest message received and not yet processed has waited (0 when none waits), in seconds. */
    public static final String MESSAGES_OLDEST_AGE = "wslistener.messages.oldest.age";
    /** Messages whose processing ended in an Error the route did not handle (the message is lost). */
    public static final String DELIVERY_FAILURES = "wslistener.delivery.failures";

    public static final String SINK_WRITTEN = "wslistener.sink.written";
    public static final String SINK_RETRIES = "wslistener.sink.retries";
    public static final String SINK_DEAD_LETTERED = "wslistener.sink.deadlettered";
    public static final String SINK_LATENCY = "wslistener.sink.latency";
    /** The Kafka sink's window: records sent and not yet confirmed, and their bytes. */
    public static final String SINK_WINDOW_RECORDS = "wslistener.sink.window.records";
    public static final String SINK_WINDOW_BYTES = "wslistener.sink.window.bytes";

    private MeterNames() {
    }
}
