package io.wslistener.source;

import java.time.Duration;

import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.FailureCause;
import io.wslistener.support.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concise line per connection lifetime event, never a stack trace per retry.
 */
final class ConnectionLogger implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.wslistener.connection");

    private final String routeId;
    private final java.util.function.Supplier<String> serverUri;
    private String lastFailure;
    private String lastFailureCause;

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
        LOG.info("Route '{}': connected to {} ({}) as connection #{} after {} attempt{}", routeId, serverUri.get(), remote,
                connectionNumber, attempts, attempts == 1 ? "" : "s");
        lastFailure = null;
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        LOG.info("Route '{}': connection #{} closed ({}{}) after {}", routeId, connectionNumber,
                closeCode < 0 ? "no close code" : "code " + closeCode,
                reason == null || reason.isEmpty() ? "" : ", " + reason, Durations.formatRounded(uptime));
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause category, String cause) {
        lastFailure = "attempt " + attempt + " failed: " + cause;
        lastFailureCause = cause;
    }

    @Override
    public void onBackingOff(Duration delay, int nextAttempt) {
        if (lastFailure != null) {
            LOG.warn("Route '{}': {} connecting to {}; backing off {} before attempt {}", routeId, lastFailure, serverUri.get(),
                    Durations.formatRounded(delay), nextAttempt);
            lastFailure = null;
        } else {
            LOG.info("Route '{}': backing off {} before attempt {}", routeId, Durations.formatRounded(delay), nextAttempt);
        }
    }

    @Override
    public void onGaveUp(String reason) {
        // the reason usually names the last failure already; say it only when it adds something
        String failure = lastFailure == null || reason.contains(lastFailureCause) ? "" : " (last " + lastFailure + ")";
        LOG.error("Route '{}': giving up on {}: {}{}; stopping the route", routeId, serverUri.get(), reason, failure);
    }

    @Override
    public void onPlannedReconnect(long connectionNumber, String reason) {
        LOG.info("Route '{}': connection #{} to {}: {}, reconnecting (planned)", routeId, connectionNumber, serverUri.get(), reason);
    }

    @Override
    public void onPongTimeout() {
        LOG.warn("Route '{}': no pong from {} in time, the connection is taken for dead", routeId, serverUri.get());
    }

    @Override
    public void onIdleTimeout() {
        LOG.warn("Route '{}': no message from {} within the idle timeout, reconnecting", routeId, serverUri.get());
    }
}
