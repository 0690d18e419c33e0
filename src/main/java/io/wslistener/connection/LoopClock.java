package io.wslistener.connection;

import io.vertx.core.Vertx;

/**
 * Time and timers for the connection loop and its open connection: the one seam between their timing logic (backoff,
 * connect timeout, keep-alive deadlines, subscribe acknowledgement, maximum age, the stop's close guard) and real
 * milliseconds, so that a test can drive that logic with a clock of its own instead of waiting on a loaded machine.
 * <p>
 * Vert.x offers the timers but no clock a test can move, hence this seam, kept as small as the loop needs. Timers are
 * set and cancelled on the loop's context, and their actions run there.
 */
public interface LoopClock {

    /** A monotonic instant in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /**
     * Runs {@code action} once, {@code delayMillis} from now, on the context that set the timer.
     *
     * @return the timer's id, for {@link #cancelTimer(long)}
     */
    long setTimer(long delayMillis, Runnable action);

    /** Cancels a timer that has not fired yet; a negative id (no timer) or one that fired already is ignored. */
    void cancelTimer(long id);

    /** Real time, and Vert.x's timers (which run on the context that sets them). */
    static LoopClock of(Vertx vertx) {
        return new LoopClock() {

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long setTimer(long delayMillis, Runnable action) {
                return vertx.setTimer(delayMillis, id -> action.run());
            }

            @Override
            public void cancelTimer(long id) {
                if (id >= 0) {
                    vertx.cancelTimer(id);
                }
            }
        };
    }
}
