package io.wslistener.source;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery threads on their own: a real thread pool, the test's clock for the minute after which the pool shrinks,
 * and tasks held on a latch for drains that keep a thread busy.
 */
class DeliveryThreadsTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>());
    private final AtomicLong clock = new AtomicLong();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    DeliveryThreadsTest() {
        pool.allowCoreThreadTimeOut(true);
    }

    @AfterEach
    void stopPool() {
        release.countDown();
        pool.shutdownNow();
    }

    private DeliveryThreads threads(int maxThreads) {
        return new DeliveryThreads(pool, maxThreads, clock::get);
    }

    /** A drain that holds its thread until the test releases it. */
    private Runnable heldDrain() {
        return () -> {
            running.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
                finished.incrementAndGet();
            }
        };
    }

    /** Hands {@code drains} held drains over, and waits until {@code running} of them run. */
    private void holdDrains(DeliveryThreads threads, int drains, int running) {
        for (int i = 0; i < drains; i++) {
            threads.execute(heldDrain());
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> this.running.get() == running);
    }

    private Runnable quickDrain() {
        return finished::incrementAndGet;
    }

    private void awaitIdle(int finishedSoFar) {
        await().pollInterval(Duration.ofMillis(2)).atMost(5, TimeUnit.SECONDS)
                .until(() -> finished.get() == finishedSoFar && pool.getActiveCount() == 0);
    }

    @Test
    void theThreadsFollowTheDrainsThatWantOneUpToTheBound() {
        DeliveryThreads threads = threads(3);

        holdDrains(threads, 5, 3);

        assertEquals(3, pool.getPoolSize());
        assertEquals(3, threads.size());
        assertTrue(threads.othersWait(), "two drains wait for a thread");

        release.countDown();
        awaitIdle(5);
        assertEquals(3, pool.getLargestPoolSize(), "never more than the bound");
        assertFalse(threads.othersWait());
    }

    /**
     * Feeds whose drains come one after another need one thread: a core size at the bound would have started a thread
     * for each of them until the bound, and kept them.
     */
    @Test
    void drainsOneAfterAnotherUseOneThread() {
        DeliveryThreads threads = threads(10);
        for (int i = 1; i <= 20; i++) {
            threads.execute(quickDrain());
            awaitIdle(i);
        }

        assertEquals(1, pool.getLargestPoolSize());
        assertEquals(1, threads.size());
    }

    @Test
    void aMinuteAfterABurstThePoolShrinksToTheLastMinutesPeak() {
        DeliveryThreads threads = threads(10);
        holdDrains(threads, 4, 4);
        release.countDown();
        awaitIdle(4);

        clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        threads.execute(quickDrain());
        awaitIdle(5);
        assertEquals(4, threads.size(), "the burst was within the last minute");

        clock.addAndGet(TimeUnit.SECONDS.toNanos(61));
        threads.execute(quickDrain());
        awaitIdle(6);
        assertEquals(1, threads.size(), "one drain at a time in the last minute");
        await().atMost(5, TimeUnit.SECONDS).until(() -> pool.getPoolSize() == 1);
    }

    @Test
    void liftingTheBoundGivesEveryWaitingDrainAThread() {
        DeliveryThreads threads = threads(1);
        holdDrains(threads, 4, 1);
        assertTrue(threads.othersWait());

        threads.lift();

        await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 4);
        threads.execute(heldDrain());
        await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 5);
        assertFalse(threads.othersWait());
    }

    /**
     * Without a bound the pool still follows the demand: a drain takes an idle thread. A core size without bound would
     * start a thread for every drain handed over, thousands at the stop of thousands of feeds.
     */
    @Test
    void afterTheLiftDrainsStillTakeIdleThreads() {
        DeliveryThreads threads = threads(1);
        threads.lift();
        for (int i = 1; i <= 20; i++) {
            threads.execute(quickDrain());
            awaitIdle(i);
        }

        assertEquals(1, pool.getLargestPoolSize());
    }
}
