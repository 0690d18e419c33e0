package io.wslistener.connection;

import java.util.Set;

import io.vertx.core.http.UpgradeRejectedException;

/**
 * Counts handshakes refused in a row with a status configured to stop the route ({@code stopOnHandshakeStatuses}):
 * the route stops at {@code handshakeRejectionsBeforeStop} of them; any other outcome of an attempt starts the count
 * again. Confined to the loop's context.
 */
final class HandshakeRejections {

    private final Set<Integer> stopStatuses;
    private final int beforeStop;
    private int inARow;

    HandshakeRejections(Set<Integer> stopStatuses, int beforeStop) {
        this.stopStatuses = Set.copyOf(stopStatuses);
        this.beforeStop = beforeStop;
    }

    /** @return why the route stops now, or null when the loop goes on */
    String afterFailedAttempt(Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected && stopStatuses.contains(rejected.getStatus())) {
            inARow++;
            return inARow < beforeStop ? null
                    : "handshake refused with HTTP " + rejected.getStatus() + " " + inARow
                            + " times in a row (stopOnHandshakeStatuses)";
        }
        reset();
        return null;
    }

    void reset() {
        inARow = 0;
    }
}
