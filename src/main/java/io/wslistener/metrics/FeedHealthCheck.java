package io.wslistener.metrics;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.LoopSnapshot;
import io.wslistener.spi.Feed;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The health of one feed, read from its loop's published snapshot (any thread may call it).
 * <ul>
 * <li>readiness: UP only while the WebSocket is open; connecting, backing off, stopped or failed is DOWN</li>
 * <li>liveness: DOWN only when the loop gave up (FAILED); a feed that is merely disconnected and retrying is alive,
 * and restarting the process would not bring its server back</li>
 * </ul>
 * Invoked as neither (the plain health endpoint) it answers as readiness, the stricter of the two. Loaded only when
 * camel-health is on the classpath.
 */
final class FeedHealthCheck extends AbstractHealthCheck {

    static final String GROUP = "wslistener";

    private final Feed feed;

    FeedHealthCheck(CamelContext camelContext, Feed feed) {
        super(GROUP, GROUP + ":" + feed.routeId());
        this.feed = feed;
        setCamelContext(camelContext);
    }

    Feed feed() {
        return feed;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        LoopSnapshot snapshot = feed.loop().snapshot();
        ConnectionState state = snapshot.state();
        builder.detail("route.id", feed.routeId());
        // the server in use: with several URLs (or one computed per connect) it is not always the route's
        builder.detail(ENDPOINT_URI, snapshot.target() != null ? snapshot.target() : feed.serverUri());
        builder.detail("state", state.name());
        builder.detail("since", Instant.ofEpochMilli(snapshot.sinceEpochMillis()).toString());
        builder.detail("connection", snapshot.connections());
        if (state != ConnectionState.OPEN) {
            // failures in a row as the backoff counts them; while open they only tell how the connection began
            builder.detail("failures.in.a.row", snapshot.failedInARow());
            if (snapshot.lastCause() != null) {
                builder.detail("last.cause", snapshot.lastCause());
            }
        }

        boolean liveness = options.getOrDefault(CHECK_KIND, Kind.ALL) == Kind.LIVENESS;
        boolean up = liveness ? state != ConnectionState.FAILED : state == ConnectionState.OPEN;
        String message = describe(snapshot);
        String trouble = DeliveryTrouble.of(feed, builder);
        if (trouble != null && (!liveness || feed.delivery().failures() > 0)) {
            // a stall takes the feed out of readiness; a failure the route could not handle, out of liveness too
            up = false;
            message = "Route '" + feed.routeId() + "': " + trouble;
        }
        builder.state(up ? State.UP : State.DOWN);
        builder.message(message);
    }

    // no URI in the message: Camel's health endpoint escapes its slashes twice; it is in the data as endpoint.uri
    private String describe(LoopSnapshot snapshot) {
        String since = " since " + Instant.ofEpochMilli(snapshot.sinceEpochMillis());
        return switch (snapshot.state()) {
            case OPEN ->
                "Route '" + feed.routeId() + "': connected (connection #" + snapshot.connections() + ")" + since;
            case FAILED -> "Route '" + feed.routeId() + "': gave up" + since + ": " + snapshot.lastCause();
            default -> "Route '" + feed.routeId() + "': not connected ("
                    + snapshot.state().name().toLowerCase(Locale.ROOT).replace('_', ' ') + since
                    + (snapshot.lastCause() == null ? "" : ": " + snapshot.lastCause()) + ")";
        };
    }
}
