package io.wslistener.connection;

import java.util.concurrent.TimeUnit;

import io.wslistener.connection.KeepAlive.Verdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeepAliveTest {

    private static final long T0 = 1_000_000_000L; // nanoTime may be any value, even negative: start somewhere arbitrary

    /** The instant {@code millis} after the connection opened. */
    private static long ms(long millis) {
        return T0 + d(millis);
    }

    /** A duration of {@code millis}. */
    private static long d(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** ping every 1000 ms, pong within 500 ms, idle after 3000 ms */
    private final KeepAlive keepAlive = new KeepAlive(d(1000), d(500), d(3000), T0);

    @Test
    void pingIsDueAfterTheInterval() {
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(999)));
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(1000)));
    }

    @Test
    void pingsKeepTheirScheduleWhileOneIsOutstanding() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.onInboundFrame(ms(1400));
        keepAlive.onInboundFrame(ms(1800));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1999)));
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(2000)), "the heartbeat does not wait for the pong");
        assertEquals(0, keepAlive.nanosUntilNextCheck(ms(2000)));
    }

    @Test
    void thePongDeadlineCountsFromTheOldestUnansweredPing() {
        KeepAlive alive = new KeepAlive(d(1000), d(1500), d(0), T0);
        alive.onPingSent(ms(1000));
        assertEquals(Verdict.SEND_PING, alive.check(ms(2000)));
        alive.onPingSent(ms(2000));
        assertEquals(Verdict.NOTHING_DUE, alive.check(ms(2499)));
        assertEquals(Verdict.PONG_TIMEOUT, alive.check(ms(2500)), "1500 ms after the first ping, not the second");
    }

    @Test
    void aPongAnswersTheOldestPing() {
        KeepAlive alive = new KeepAlive(d(1000), d(1500), d(0), T0);
        alive.onPingSent(ms(1000));
        alive.onPingSent(ms(2000));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1200), alive.onPong(ms(2200)));
        assertEquals(Verdict.NOTHING_DUE, alive.check(ms(2999)), "no deadline left, the next ping is due at 3000");
        assertEquals(Verdict.SEND_PING, alive.check(ms(3000)));
    }

    @Test
    void nextPingCountsFromThePreviousOne() {
        keepAlive.onPingSent(ms(1000));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(20), keepAlive.onPong(ms(1020)));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1999)));
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(2000)));
    }

    @Test
    void missingPongTimesOutFromThePing() {
        keepAlive.onPingSent(ms(1000));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1499)));
        assertEquals(Verdict.PONG_TIMEOUT, keepAlive.check(ms(1500)));
    }

    @Test
    void pongDeadlineCountsFromTheLastInboundFrameWhenThatIsLater() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.onInboundFrame(ms(1300)); // the peer is busy sending; its pong may be queued behind the data
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1700)));
        assertEquals(Verdict.PONG_TIMEOUT, keepAlive.check(ms(1800)));
    }

    @Test
    void inboundFrameBeforeThePingDoesNotExtendTheDeadline() {
        keepAlive.onInboundFrame(ms(900));
        keepAlive.onPingSent(ms(1000));
        assertEquals(Verdict.PONG_TIMEOUT, keepAlive.check(ms(1500)));
    }

    @Test
    void pongInTimeClearsTheDeadline() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.onPong(ms(1400));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1600)));
    }

    @Test
    void unsolicitedPongHasNoRoundTrip() {
        assertEquals(-1, keepAlive.onPong(ms(100)));
    }

    @Test
    void idleTimeoutCountsDataMessagesOnly() {
        KeepAlive idleOnly = new KeepAlive(0, d(500), d(3000), T0);
        idleOnly.onInboundFrame(ms(2000)); // a ping or pong is not a message
        assertEquals(Verdict.NOTHING_DUE, idleOnly.check(ms(2999)));
        assertEquals(Verdict.IDLE_TIMEOUT, idleOnly.check(ms(3000)));
    }

    @Test
    void messageRestartsTheIdleClock() {
        KeepAlive idleOnly = new KeepAlive(0, d(500), d(3000), T0);
        idleOnly.onMessage(ms(2000));
        assertEquals(Verdict.NOTHING_DUE, idleOnly.check(ms(4999)));
        assertEquals(Verdict.IDLE_TIMEOUT, idleOnly.check(ms(5000)));
    }

    @Test
    void idleWithHealthyPongsStillTimesOut() {
        for (long t = 1000; t < 3000; t += 1000) {
            assertEquals(Verdict.SEND_PING, keepAlive.check(ms(t)));
            keepAlive.onPingSent(ms(t));
            keepAlive.onPong(ms(t + 10));
        }
        assertEquals(Verdict.IDLE_TIMEOUT, keepAlive.check(ms(3000)));
    }

    @Test
    void disabledPingsAndIdleNeverFire() {
        KeepAlive off = new KeepAlive(0, d(500), 0, T0);
        assertEquals(Verdict.NOTHING_DUE, off.check(ms(3_600_000)));
    }

    @Test
    void pausedReadingSuspendsEveryDeadlineButPingsGoOn() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.pause();
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(1999)), "no pong or idle deadline while paused");
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(10_000)), "but the next ping is due every interval");
        keepAlive.onPingSent(ms(10_000));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(10_999)));
        assertEquals(d(1000), keepAlive.nanosUntilNextCheck(ms(10_000)));
    }

    @Test
    void pausedReadingSuspendsEveryDeadline() {
        KeepAlive alive = new KeepAlive(d(0), d(500), d(3000), T0);
        alive.pause();
        assertEquals(Verdict.NOTHING_DUE, alive.check(ms(10_000)));
        assertEquals(-1, alive.nanosUntilNextCheck(ms(10_000)));
    }

    @Test
    void pausedReadingKeepsThePingScheduleButNoDeadline() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.pause();
        assertEquals(d(1000), keepAlive.nanosUntilNextCheck(ms(1000)));
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(2000)),
                "no pong timeout while not reading, but the heartbeat");
        keepAlive.onPingSent(ms(2000));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(2999)));
    }

    @Test
    void resumeRestartsTheDeadlinesFromNow() {
        keepAlive.onPingSent(ms(1000));
        keepAlive.pause();
        keepAlive.resume(ms(10_000));
        assertEquals(Verdict.SEND_PING, keepAlive.check(ms(10_000)), "the ping schedule went on meanwhile");
        keepAlive.onPingSent(ms(10_000));
        assertEquals(Verdict.NOTHING_DUE, keepAlive.check(ms(10_499)));
        assertEquals(Verdict.PONG_TIMEOUT, keepAlive.check(ms(10_500)));
    }

    @Test
    void resumeRestartsTheIdleClock() {
        KeepAlive idleOnly = new KeepAlive(0, d(500), d(3000), T0);
        idleOnly.pause();
        idleOnly.resume(ms(5000));
        assertEquals(Verdict.NOTHING_DUE, idleOnly.check(ms(7999)));
        assertEquals(Verdict.IDLE_TIMEOUT, idleOnly.check(ms(8000)));
    }

    @Test
    void nextCheckIsTheEarliestDeadline() {
        KeepAlive alive = new KeepAlive(d(5000), d(2000), d(0), T0);
        assertEquals(d(5000), alive.nanosUntilNextCheck(T0), "the first ping is due one interval after opening");
        alive.onPingSent(ms(5000));
        assertEquals(d(2000), alive.nanosUntilNextCheck(ms(5000)), "then the pong deadline");
        alive.onInboundFrame(ms(6000));
        assertEquals(d(2000), alive.nanosUntilNextCheck(ms(6000)), "an inbound frame moves the pong deadline on");
        assertEquals(0, alive.nanosUntilNextCheck(ms(9000)), "a passed deadline is due at once");
        alive.onPong(ms(6500));
        assertEquals(d(3500), alive.nanosUntilNextCheck(ms(6500)), "after the pong, the next ping is due");
    }

    @Test
    void nextCheckIncludesTheIdleDeadlineAndOnlyThePingWhilePaused() {
        KeepAlive alive = new KeepAlive(d(10_000), d(2000), d(3000), T0);
        alive.onMessage(ms(1000));
        assertEquals(d(3000), alive.nanosUntilNextCheck(ms(1000)));
        alive.pause();
        assertEquals(d(8000), alive.nanosUntilNextCheck(ms(2000)), "the idle deadline is off, the next ping is not");
        KeepAlive disabled = new KeepAlive(0, d(2000), 0, T0);
        assertEquals(-1, disabled.nanosUntilNextCheck(ms(1000)));
    }
}
