package io.wslistener.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5), 0.2);

    @Test
    void delayGrowsByTheMultiplierPerAttempt() {
        assertEquals(100, backoff.nominalDelayMillis(1));
        assertEquals(200, backoff.nominalDelayMillis(2));
        assertEquals(400, backoff.nominalDelayMillis(3));
        assertEquals(3200, backoff.nominalDelayMillis(6));
    }

    @Test
    void fractionalMultiplierGrowsGently() {
        Backoff gentle = new Backoff(Duration.ofMillis(1000), 1.5, Duration.ofMinutes(1), 0);
        assertEquals(1000, gentle.nominalDelayMillis(1));
        assertEquals(1500, gentle.nominalDelayMillis(2));
        assertEquals(2250, gentle.nominalDelayMillis(3));
    }

    @Test
    void multiplierOfOneKeepsTheDelayConstant() {
        Backoff constant = new Backoff(Duration.ofMillis(250), 1.0, Duration.ofSeconds(1), 0);
        for (int attempt = 1; attempt <= 50; attempt++) {
            assertEquals(250, constant.nominalDelayMillis(attempt));
        }
    }

    @Test
    void delayIsCappedAtMaxDelay() {
        assertEquals(5000, backoff.nominalDelayMillis(7)); // 6400 nominal
        assertEquals(5000, backoff.nominalDelayMillis(30));
        // so many attempts that the power overflows to infinity: still the cap, never a negative or zero delay
        assertEquals(5000, backoff.nominalDelayMillis(Integer.MAX_VALUE));
    }

    @Test
    void jitterOnlyShortensWithinTheBand() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            long nominal = backoff.nominalDelayMillis(attempt);
            assertEquals(nominal, backoff.delayMillis(attempt, 0.0), "no jitter at random 0");
            long lowest = backoff.delayMillis(attempt, Math.nextDown(1.0));
            assertEquals(Math.round(nominal * 0.8), lowest, "the far end of the band at attempt " + attempt);
            for (int i = 0; i < 1000; i++) {
                long delay = backoff.delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
                assertTrue(delay <= nominal && delay >= Math.round(nominal * 0.8),
                        "attempt " + attempt + ": " + delay + " outside [" + nominal * 0.8 + ", " + nominal + "]");
            }
        }
    }

    @Test
    void jitterNeverExceedsMaxDelay() {
        for (int i = 0; i < 1000; i++) {
            assertTrue(backoff.delayMillis(40, ThreadLocalRandom.current().nextDouble()) <= 5000);
        }
    }

    @Test
    void zeroJitterIsDeterministic() {
        Backoff exact = new Backoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(10), 0.0);
        assertEquals(900, exact.delayMillis(3, 0.99));
    }

    @Test
    void attemptsCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> backoff.nominalDelayMillis(0));
    }
}
