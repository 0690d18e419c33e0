package io.wslistener.connection;

import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import io.wslistener.support.Backoff;

/**
 * When the loop tries again after a failed attempt or a closed connection: one timer, for the backoff's delay or the
 * wait a server asked for ({@code Retry-After}), whichever is longer. An operator's reconnect cuts the backoff short,
 * but not the server's wait: a server that said when to come back is not knocked on earlier. Confined to the loop's
 * context; time and timers from its {@link LoopClock}.
 */
final class NextAttempt {

    private final LoopClock clock;
    private final Backoff backoff;
    private final DoubleSupplier random;
    private long timer = -1;
    private Runnable attempt;
    // the end of the wait the server asked for, while one is set
    private long serverWaitEndsAt;
    private boolean serverWait;

    /** @param random draws the jitter of each delay, from [0, 1) */
    NextAttempt(LoopClock clock, Backoff backoff, DoubleSupplier random) {
        this.clock = clock;
        this.backoff = backoff;
        this.random = random;
    }

    /** The backoff's delay after this many failures in a row (1 or more), jitter drawn. */
    long backoffMillis(int failedInARow) {
        return backoff.delayMillis(failedInARow, random.getAsDouble());
    }

    /**
     * Runs {@code attempt} once, after {@code delayMillis} (at least 1 ms), replacing what was scheduled.
     *
     * @param serverWaitMillis the part of the delay the server asked for (Retry-After), or -1 when it asked for none
     */
    void schedule(long delayMillis, long serverWaitMillis, Runnable attempt) {
        cancel();
        this.attempt = attempt;
        serverWait = serverWaitMillis >= 0;
        serverWaitEndsAt = serverWait ? clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(serverWaitMillis) : 0;
        timer = clock.setTimer(Math.max(1, delayMillis), this::fire);
    }

    /** Whether an attempt waits for its timer. */
    boolean isScheduled() {
        return timer >= 0;
    }

    /**
     * Cuts the wait short: the attempt runs now, or, while the server's wait lasts, when it ends.
     *
     * @return the milliseconds left of the server's wait (the attempt then runs when they are over), or 0 when the
     *         attempt ran now or none was scheduled
     */
    long cutShort() {
        if (!isScheduled()) {
            return 0;
        }
        long left = serverWait ? serverWaitEndsAt - clock.nanoTime() : 0;
        clock.cancelTimer(timer);
        timer = -1;
        if (left > 0) {
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            timer = clock.setTimer(millis, this::fire);
            return millis;
        }
        fire();
        return 0;
    }

    /** Nothing runs any more. */
    void cancel() {
        clock.cancelTimer(timer);
        timer = -1;
        attempt = null;
        serverWait = false;
    }

    private void fire() {
        Runnable next = attempt;
        cancel();
        if (next != null) {
            next.run();
        }
    }
}
