package io.wslistener.connection;

/**
 * Whether the loop reads from its socket: the part of backpressure that outlives a connection (a connection that opens
 * while reading is paused starts paused). Reading is paused when the hand-off reaches its bound, and by an operator's
 * hold, which a draining backlog does not end. Confined to the loop's context, but for the hold, which any thread reads.
 */
final class ReadingPause {

    private boolean paused;
    private long pausedAtNanos;
    private volatile boolean held;

    boolean isPaused() {
        return paused;
    }

    /** @return true when this paused reading, false when it was paused already */
    boolean pause(long now) {
        if (paused) {
            return false;
        }
        paused = true;
        pausedAtNanos = now;
        return true;
    }

    /** @return how long reading was paused, or -1 when it stays as it is (it was not paused, or an operator holds it) */
    long resume(long now) {
        if (!paused || held) {
            return -1;
        }
        paused = false;
        return now - pausedAtNanos;
    }

    void hold() {
        held = true;
    }

    void release() {
        held = false;
    }

    boolean isHeld() {
        return held;
    }
}
