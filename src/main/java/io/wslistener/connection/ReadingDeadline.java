package io.wslistener.connection;

import java.util.concurrent.TimeUnit;

/**
 * A deadline for something the server must send, which counts only while the socket reads: while reading is paused
 * (backpressure, an operator's hold) what the server sent may be waiting unread in TCP buffers, so that time proves
 * nothing. Paused, it stops counting; resumed, it goes on with what was left. Confined to the loop's context; time and
 * timers from its {@link LoopClock}.
 */
final class ReadingDeadline {

    private final LoopClock clock;
    private final Runnable expired;

    private long leftNanos = -1;
    // when the current stretch of counting began, or -1 while paused
    private long countingSince = -1;
    private long timer = -1;

    /** @param expired run on the loop's context once the deadline passed, unless cancelled first */
    ReadingDeadline(LoopClock clock, Runnable expired) {
        this.clock = clock;
        this.expired = expired;
    }

    /** Starts counting {@code nanos} of reading time; while {@code paused}, from the next {@link #resume()} on. */
    void start(long nanos, boolean paused) {
        cancel();
        leftNanos = nanos;
        if (!paused) {
            resume();
        }
    }

    /** Whether it was started and has neither passed nor been cancelled. */
    boolean isPending() {
        return leftNanos >= 0;
    }

    /** Reading paused: the time until {@link #resume()} does not count. */
    void pause() {
        if (!isPending() || countingSince < 0) {
            return;
        }
        leftNanos = Math.max(0, leftNanos - (clock.nanoTime() - countingSince));
        countingSince = -1;
        clock.cancelTimer(timer);
        timer = -1;
    }

    /** Reading again: it counts on with what was left. */
    void resume() {
        if (!isPending() || countingSince >= 0) {
            return;
        }
        countingSince = clock.nanoTime();
        // round up: a timer that fires a hair early would pass a deadline that has not passed
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos + 999_999));
        timer = clock.setTimer(millis, () -> {
            timer = -1;
            leftNanos = -1;
            countingSince = -1;
            expired.run();
        });
    }

    /** Met or no longer needed: it will not fire. */
    void cancel() {
        clock.cancelTimer(timer);
        timer = -1;
        leftNanos = -1;
        countingSince = -1;
    }
}
