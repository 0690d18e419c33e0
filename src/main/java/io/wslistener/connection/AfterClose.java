package io.wslistener.connection;

import java.time.Duration;
import java.util.Set;

/**
 * What the loop does once an open connection has ended: stop, or reconnect and how the backoff counts it. Pure: from
 * how the connection ended, the server's close code and how long it lived.
 */
public final class AfterClose {

    /** How the connection ended, as far as the loop is concerned. */
    public enum Ending {
        /** The server closed it, or the network (or a keep-alive deadline) ended it. */
        SERVER_OR_NETWORK,
        /** The loop closed it: the open messages were not acknowledged within subscribeAckTimeout. */
        NO_SUBSCRIBE_ACK,
        /** The loop closed it: it reached maxConnectionAge. */
        MAX_AGE,
        /** The loop closed it: an operator asked for a reconnect (JMX reconnectNow). */
        RECONNECT_REQUESTED
    }

    public enum Outcome {
        /** A close code configured to stop the route (stopOnCloseCodes). */
        STOP,
        /** A failure in a row: the backoff grows, even after a connection that lived stableUptime. */
        FAILURE,
        /** A failure after a connection that lived stableUptime: the count of failures in a row starts again at 1. */
        FAILURE_AFTER_STABLE,
        /** Not a failure (a server redeploying): the count starts again at 0 and the next attempt is after initialDelay. */
        NOT_A_FAILURE,
        /**
         * The loop's own planned reconnect (maxConnectionAge, an operator's reconnectNow): at once, not a failure, and
         * the count of failures in a row unchanged.
         */
        PLANNED,
        /** A planned reconnect after a connection that lived stableUptime: at once, and the count is back at 0 as after
         * any stable connection. */
        PLANNED_AFTER_STABLE
    }

    private final Set<Integer> stopCodes;
    private final Set<Integer> notAFailureCodes;
    private final Set<Integer> backOffCodes;
    private final Duration stableUptime;

    /**
     * @param stopCodes        close codes that stop the route
     * @param notAFailureCodes close codes that, after a stable connection, are no failure (1001 going away, 1012 restart)
     * @param backOffCodes     close codes that back off as a failure does, however long the connection lived (1013)
     */
    public AfterClose(Set<Integer> stopCodes, Set<Integer> notAFailureCodes, Set<Integer> backOffCodes,
                      Duration stableUptime) {
        this.stopCodes = Set.copyOf(stopCodes);
        this.notAFailureCodes = Set.copyOf(notAFailureCodes);
        this.backOffCodes = Set.copyOf(backOffCodes);
        this.stableUptime = stableUptime;
    }

    /** @param closeCode the server's close code, or -1 when there was none */
    public Outcome outcome(Ending ending, int closeCode, Duration uptime) {
        boolean stable = uptime.compareTo(stableUptime) >= 0;
        switch (ending) {
            case MAX_AGE, RECONNECT_REQUESTED :
                return stable ? Outcome.PLANNED_AFTER_STABLE : Outcome.PLANNED;
            case NO_SUBSCRIBE_ACK :
                // a failed attempt, however long the wait for the acknowledgement took
                return Outcome.FAILURE;
            default :
                break;
        }
        if (closeCode > 0 && stopCodes.contains(closeCode)) {
            return Outcome.STOP;
        }
        if (closeCode > 0 && backOffCodes.contains(closeCode)) {
            return Outcome.FAILURE;
        }
        if (!stable) {
            return Outcome.FAILURE;
        }
        return closeCode > 0 && notAFailureCodes.contains(closeCode) ? Outcome.NOT_A_FAILURE
                : Outcome.FAILURE_AFTER_STABLE;
    }

    /**
     * Whether the connection's end counts against its server, so that with several server URLs the next attempt goes
     * to the next one: it never acknowledged the open messages, or the server or the network ended it before it lived
     * stableUptime (a server that accepts every handshake and drops the connection is no better than one that refuses).
     */
    public boolean againstServer(Ending ending, Duration uptime) {
        return switch (ending) {
            case NO_SUBSCRIBE_ACK -> true;
            case MAX_AGE, RECONNECT_REQUESTED -> false;
            case SERVER_OR_NETWORK -> uptime.compareTo(stableUptime) < 0;
        };
    }
}
