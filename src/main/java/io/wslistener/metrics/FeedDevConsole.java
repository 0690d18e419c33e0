package io.wslistener.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.wslistener.connection.LoopSnapshot;
import io.wslistener.spi.FeedStatus;
import io.wslistener.spi.FeedStatuses;
import io.wslistener.support.Durations;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The ws-listener feeds in Camel's developer console ({@code /q/dev/ws-listener} on camel-main's management server, and
 * Camel JBang's {@code camel get} tooling): for every feed its state and since when, connection, masked URL, messages
 * and rate, in flight, paused time, last pong round trip and last failure. Found by camel-console through
 * {@code META-INF/services/org/apache/camel/dev-console/ws-listener}, which camel-component-maven-plugin generates from
 * the annotation; it reads the same {@link FeedStatus} as JMX.
 */
@DevConsole(name = FeedDevConsole.ID, group = "ws-listener", displayName = "ws-listener feeds",
            description = "State, connection and traffic of the ws-listener WebSocket feeds")
public final class FeedDevConsole extends AbstractDevConsole {

    public static final String ID = "ws-listener";

    public FeedDevConsole() {
        super("ws-listener", ID, "ws-listener feeds",
                "State, connection and traffic of the ws-listener WebSocket feeds");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        List<FeedStatus> feeds = feeds();
        if (feeds.isEmpty()) {
            return "No ws-listener feeds";
        }
        StringBuilder text = new StringBuilder();
        long now = System.currentTimeMillis();
        for (FeedStatus status : feeds) {
            LoopSnapshot snapshot = status.snapshot();
            text.append(String.format(Locale.ROOT, "Route %s: %s since %s (%s ago), connection #%d%n",
                    status.feed().routeId(), state(snapshot), Instant.ofEpochMilli(snapshot.sinceEpochMillis()),
                    Durations.formatRounded(Duration.ofMillis(Math.max(0, now - snapshot.sinceEpochMillis()))),
                    snapshot.connections()));
            text.append("    URL: ").append(status.feed().serverUri()).append('\n');
            text.append(String.format(Locale.ROOT, "    Messages: %d (%.1f/s), %d in flight, %d reconnects%n",
                    status.messages(), status.messagesPerSecond(), status.inFlight(), status.reconnects()));
            text.append(String.format(Locale.ROOT, "    Reading: %s, paused %s in total%n", reading(status),
                    Durations.formatRounded(status.pausedTime())));
            Duration rtt = status.lastPongRoundTrip();
            text.append("    Last pong round trip: ").append(rtt == null ? "none yet" : millis(rtt) + "ms")
                    .append('\n');
            FeedStatus.Failure failure = status.lastFailure();
            text.append("    Last failure: ")
                    .append(failure == null ? "none" : failure.cause() + " (at " + failure.at() + ")").append('\n');
        }
        return text.toString();
    }

    @Override
    protected JsonObject doCallJson(Map<String, Object> options) {
        JsonArray list = new JsonArray();
        for (FeedStatus status : feeds()) {
            LoopSnapshot snapshot = status.snapshot();
            JsonObject jo = new JsonObject();
            jo.put("routeId", status.feed().routeId());
            jo.put("state", snapshot.state().name());
            jo.put("since", snapshot.sinceEpochMillis());
            jo.put("connection", snapshot.connections());
            jo.put("failedInARow", snapshot.failedInARow());
            jo.put("url", status.feed().serverUri());
            jo.put("messages", status.messages());
            jo.put("messagesPerSecond", status.messagesPerSecond());
            jo.put("inFlight", status.inFlight());
            jo.put("reconnects", status.reconnects());
            jo.put("readingPaused", status.readingPaused());
            jo.put("readingHeld", status.readingHeld());
            jo.put("pausedMillis", status.pausedTime().toMillis());
            Duration rtt = status.lastPongRoundTrip();
            if (rtt != null) {
                jo.put("lastPongRoundTripMillis", millis(rtt));
            }
            FeedStatus.Failure failure = status.lastFailure();
            if (failure != null) {
                jo.put("lastFailure", failure.cause());
                jo.put("lastFailureAt", failure.at().toEpochMilli());
            }
            list.add(jo);
        }
        JsonObject root = new JsonObject();
        root.put("feeds", list);
        return root;
    }

    private List<FeedStatus> feeds() {
        FeedStatuses statuses = FeedStatuses.of(getCamelContext());
        return statuses == null ? List.of() : statuses.all();
    }

    private static String state(LoopSnapshot snapshot) {
        return snapshot.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String reading(FeedStatus status) {
        if (status.readingHeld()) {
            return "paused by an operator";
        }
        return status.readingPaused() ? "paused (backpressure)" : "flowing";
    }

    private static double millis(Duration d) {
        return Math.round(d.toNanos() / 1e4) / 100.0;
    }
}
