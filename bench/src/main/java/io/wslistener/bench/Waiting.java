package io.wslistener.bench;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Polls for a condition. The times the benchmarks report are taken where the event happens (a listener, a probe); the
 * poll only finds out that it did, so its period does not enter the figures.
 */
final class Waiting {

    private static final long POLL_MILLIS = 2;

    private Waiting() {
    }

    /** The first non-null value of {@code probe}, or null once {@code timeout} has passed. */
    static <T> T forValue(Supplier<T> probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Sleeps until {@code nanoTime} (at once if it has passed). */
    static void until(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
