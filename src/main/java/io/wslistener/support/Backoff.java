package io.wslistener.support;

import java.time.Duration;

/**
 * Exponential backoff with jitter: attempt number to delay, nothing else.
 * <p>
 * The jitter only shortens the nominal delay ("equal jitter" downwards), so the delay of attempt {@code n} lies in
 * {@code [nominal * (1 - jitter), nominal]} and never exceeds {@code maxDelay}.
 */
public final class Backoff {

    private final long initialMillis;
    private final double multiplier;
    private final long maxMillis;
    private final double jitter;

    public Backoff(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
        this.initialMillis = initialDelay.toMillis();
        this.multiplier = multiplier;
        this.maxMillis = maxDelay.toMillis();
        this.jitter = jitter;
    }

    /** The delay before attempt {@code attempt} (1 for the first retry) without jitter. */
    public long nominalDelayMillis(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        double delay = initialMillis * Math.pow(multiplier, attempt - 1);
        return (long) Math.min(maxMillis, delay);
    }

    /**
     * The delay before attempt {@code attempt}, with {@code random} in [0, 1) choosing where in the jitter band it lands.
     */
    public long delayMillis(int attempt, double random) {
        long nominal = nominalDelayMillis(attempt);
        return Math.round(nominal * (1.0 - jitter * random));
    }
}
