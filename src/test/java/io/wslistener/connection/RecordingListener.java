package io.wslistener.connection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers what a connection loop reported, for assertions from the test thread.
 */
public final class RecordingListener implements ConnectionListener {

    public final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    public final List<Long> backoffMillis = new CopyOnWriteArrayList<>();
    public final List<Integer> connectedAfterAttempts = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final List<FailureCause> failureCauses = new CopyOnWriteArrayList<>();
    public final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    public final List<String> gaveUp = new CopyOnWriteArrayList<>();
    public final List<String> plannedReconnects = new CopyOnWriteArrayList<>();
    public final AtomicInteger pings = new AtomicInteger();
    public final AtomicInteger pongs = new AtomicInteger();
    public final AtomicInteger pongTimeouts = new AtomicInteger();
    public final AtomicInteger heartbeatReplies = new AtomicInteger();
    public final AtomicInteger idleTimeouts = new AtomicInteger();
    public final AtomicInteger pauses = new AtomicInteger();

    @Override
    public void onStateChanged(ConnectionState from, ConnectionState to, String cause) {
        states.add(to);
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        connectedAfterAttempts.add(attempts);
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        closeCodes.add(closeCode);
    }

    @Override
    public void onAttemptFailed(int attempt, FailureCause category, String cause) {
        failures.add(cause);
        failureCauses.add(category);
    }

    @Override
    public void onBackingOff(Duration delay, int nextAttempt) {
        backoffMillis.add(delay.toMillis());
    }

    @Override
    public void onGaveUp(String reason) {
        gaveUp.add(reason);
    }

    @Override
    public void onPlannedReconnect(long connectionNumber, String reason) {
        plannedReconnects.add("#" + connectionNumber + " " + reason);
    }

    @Override
    public void onPingSent() {
        pings.incrementAndGet();
    }

    @Override
    public void onPong(long roundTripNanos) {
        pongs.incrementAndGet();
    }

    @Override
    public void onHeartbeatReply() {
        heartbeatReplies.incrementAndGet();
    }

    @Override
    public void onPongTimeout() {
        pongTimeouts.incrementAndGet();
    }

    @Override
    public void onIdleTimeout() {
        idleTimeouts.incrementAndGet();
    }

    @Override
    public void onReadingPaused() {
        pauses.incrementAndGet();
    }

    public int connections() {
        return connectedAfterAttempts.size();
    }
}
