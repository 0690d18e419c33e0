package io.wslistener.source;

import java.time.Duration;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.FailureCause;
import io.wslistener.support.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One concise line per connection lifetime event, never a stack trace per retry.
 * <p>
 * Each line also carries its facts as key-value pairs ({@code route}, {@code event}, {@code connection}, {@code cause},
 * ...): with log4j they are the line's context map, which the JSON log layout writes as fields of their own.
 */
final class ConnectionLogger implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.wslistener.connection");

    private final String routeId;
    private final java.util.function.Supplier<String> serverUri;
    private String lastFailure;
    private String lastFailureCause;
    private long connection;
    private String backOffCause;

    ConnectionLogger(String routeId, String serverUri) {
        this(routeId, () -> serverUri);
    }

    /** @param serverUri the server in use, masked, read for every line (several URLs, one per connect) */
    ConnectionLogger(String routeId, java.util.function.Supplier<String> serverUri) {
        this.routeId = routeId;
        this.serverUri = serverUri;
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        connection = connectionNumber;
        event(Level.INFO, "connected", null).addKeyValue("url", serverUri.get()).addKeyValue("attempts", attempts)
                .log("Route '{}': connected to {} ({}) as connection #{} after {} attempt{}", routeId, serverUri.get(),
                        remote,
                        connectionNumber, attempts, attempts == 1 ? "" : "s");
        lastFailure = null;
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        event(Level.INFO, "disconnected", reason == null || reason.isEmpty() ? null : reason)
                .addKeyValue("closeCode", closeCode < 0 ? "none" : Integer.toString(closeCode))
                .addKeyValue("uptime", Durations.formatRounded(uptime))
                .log("Route '{}': connection #{} closed ({}{}) after {}", routeId, connectionNumber,
                        closeCode < 0 ? "no close code" : "code " + closeCode,
                        reason == null || reason.isEmpty() ? "" : ", " + reason, Durations.formatRounded(uptime));
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause category, String cause) {
        lastFailure = "attempt " + attempt + " failed: " + cause;
        lastFailureCause = cause;
    }

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
        // told just before onBackingOff: why the loop backs off (a lost connection, when no attempt failed)
        backOffCause = to == ConnectionState.BACKING_OFF ? cause : null;
    }

    @Override
    public void onBackingOff(Duration delay, int nextAttempt) {
        if (lastFailure != null) {
            event(Level.WARN, "attempt-failed", lastFailureCause).addKeyValue("url", serverUri.get())
                    .addKeyValue("delay", Durations.formatRounded(delay)).addKeyValue("nextAttempt", nextAttempt)
                    .log("Route '{}': {} connecting to {}; backing off {} before attempt {}", routeId, lastFailure,
                            serverUri.get(), Durations.formatRounded(delay), nextAttempt);
            lastFailure = null;
        } else {
            event(Level.INFO, "backing-off", backOffCause).addKeyValue("delay", Durations.formatRounded(delay))
                    .addKeyValue("nextAttempt", nextAttempt)
                    .log("Route '{}': backing off {} before attempt {}", routeId, Durations.formatRounded(delay),
                            nextAttempt);
        }
    }

    @Override
    public void onGaveUp(String reason) {
        // the reason usually names the last failure already; say it only when it adds something
        String failure = lastFailure == null || reason.contains(lastFailureCause) ? "" : " (last " + lastFailure + ")";
        event(Level.ERROR, "gave-up", reason).addKeyValue("url", serverUri.get())
                .log("Route '{}': giving up on {}: {}{}; stopping the route", routeId, serverUri.get(), reason,
                        failure);
    }

    @Override
    public void onPlannedReconnect(long connectionNumber, String reason) {
        event(Level.INFO, "planned-reconnect", reason).addKeyValue("url", serverUri.get())
                .log("Route '{}': connection #{} to {}: {}, reconnecting (planned)", routeId, connectionNumber,
                        serverUri.get(), reason);
    }

    @Override
    public void onPongTimeout() {
        event(Level.WARN, "pong-timeout", "no pong in time")
                .log("Route '{}': no pong from {} in time, the connection is taken for dead", routeId, serverUri.get());
    }

    @Override
    public void onIdleTimeout() {
        event(Level.WARN, "idle-timeout", "no message within the idle timeout")
                .log("Route '{}': no message from {} within the idle timeout, reconnecting", routeId, serverUri.get());
    }

    /** A line with the fields every connection line has; {@code cause} is left out when null. */
    private LoggingEventBuilder event(Level level, String event, String cause) {
        LoggingEventBuilder line = LOG.atLevel(level).addKeyValue("route", routeId).addKeyValue("event", event);
        if (connection > 0) {
            line = line.addKeyValue("connection", connection);
        }
        return cause == null ? line : line.addKeyValue("cause", cause);
    }
}
