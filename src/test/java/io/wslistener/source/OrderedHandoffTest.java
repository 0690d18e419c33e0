package io.wslistener.source;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-off on its own, with an executor the test runs by hand (as Vert.x's InboundMessageQueueTest drives its
 * queue from a context it controls): every interleaving of offers, drains, pauses and resumes below is one the test
 * chose, not one the scheduler happened to pick.
 */
class OrderedHandoffTest {

    /** Tasks wait until the test runs them; once shut down, it rejects them as a stopped pool does. */
    private static final class ManualExecutor implements Executor {

        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private boolean shutDown;

        @Override
        public synchronized void execute(Runnable task) {
            if (shutDown) {
                throw new RejectedExecutionException("pool shut down");
            }
            tasks.add(task);
        }

        synchronized int queued() {
            return tasks.size();
        }

        /** Runs the first queued task on the test thread (not those it queues). */
        void runOne() {
            poll().run();
        }

        /** Runs the queued tasks, and those they queue, on the test thread. */
        void runAll() {
            Runnable task;
            while ((task = poll()) != null) {
                task.run();
            }
        }

        private synchronized Runnable poll() {
            return tasks.poll();
        }

        synchronized void shutDown(boolean down) {
            shutDown = down;
        }
    }

    /** What one item saw when the worker got it. */
    private record Seen(String item, boolean endOfBatch, int resumesSoFar) {
    }

    private final ManualExecutor executor = new ManualExecutor();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger pauses = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private OrderedHandoff<String> handoff;

    /** A hand-off bounded by count and by characters; its owner confirms every resume, as the consumer does. */
    private OrderedHandoff<String> handoff(int maxInFlight, long maxInFlightBytes) {
        handoff = new OrderedHandoff<>(executor, maxInFlight, maxInFlightBytes, String::length, pauses::incrementAndGet,
                () -> {
                    resumes.incrementAndGet();
                    handoff.resumed();
                }, (item, endOfBatch) -> seen.add(new Seen(item, endOfBatch, resumes.get())), failures::add);
        return handoff;
    }

    private List<String> items() {
        return seen.stream().map(Seen::item).toList();
    }

    @Test
    void theOldestWaitIsThatOfTheItemBeingProcessedOrElseTheFirstWaitingOne() {
        AtomicLong now = new AtomicLong(-7_000_000_000L);
        List<Long> waitSeenByWorker = new CopyOnWriteArrayList<>();
        OrderedHandoff<String> timed = new OrderedHandoff<>(executor, 100, Long.MAX_VALUE, String::length, () -> {
        }, () -> {
        }, (item, endOfBatch) -> {
            now.addAndGet(TimeUnit.SECONDS.toNanos(5)); // each item keeps the worker busy 5 s
            waitSeenByWorker.add(TimeUnit.NANOSECONDS.toSeconds(handoff.oldestWaitNanos()));
        }, failures::add, now::get);
        handoff = timed;
        assertEquals(0, timed.oldestWaitNanos(), "nothing waits");

        timed.offer("m1");
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        timed.offer("m2");
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertEquals(TimeUnit.SECONDS.toNanos(5), timed.oldestWaitNanos(), "m1, offered 5 s ago and not taken yet");

        executor.runAll();
        // m1 at 5 + 5 s; m2, offered 3 s after m1, was taken when m1 was done (10 s) and took 5 s more
        assertEquals(List.of(10L, 13L), waitSeenByWorker, "the item being processed counts until it is done");
        assertEquals(0, timed.oldestWaitNanos(), "nothing waits once both are done");
    }

    @Test
    void itemsAreProcessedInOfferOrderByOneDrainAtATime() {
        handoff(100, Long.MAX_VALUE);
        for (int i = 1; i <= 5; i++) {
            handoff.offer("m" + i);
        }
        assertEquals(1, executor.queued(), "one drain task for the five, not one per item");
        assertEquals(5, handoff.pending());

        executor.runAll();

        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), items());
        assertEquals(List.of(false, false, false, false, true), seen.stream().map(Seen::endOfBatch).toList(),
                "endOfBatch only where nothing else waited");
        assertEquals(0, handoff.pending());
        assertTrue(handoff.isIdle());

        handoff.offer("m6");
        assertEquals(1, executor.queued(), "a drain that finished leaves room for the next");
        executor.runAll();
        assertEquals("m6", items().get(5));
    }

    @Test
    void anOfferDuringTheDrainIsTakenByTheSameDrain() {
        handoff = new OrderedHandoff<>(executor, 100, () -> {
        }, () -> {
        }, (item, endOfBatch) -> {
            seen.add(new Seen(item, endOfBatch, 0));
            if (item.equals("m1")) {
                handoff.offer("m2");
            }
        });
        handoff.offer("m1");

        executor.runAll();

        assertEquals(List.of("m1", "m2"), items());
        assertEquals(0, executor.queued());
        assertTrue(handoff.isIdle());
    }

    @Test
    void reachingMaxInFlightPausesReading() {
        handoff(4, Long.MAX_VALUE);
        for (int i = 1; i <= 3; i++) {
            handoff.offer("m" + i);
        }
        assertEquals(0, pauses.get());
        assertTrue(handoff.belowPauseBound());

        handoff.offer("m4");

        assertEquals(1, pauses.get());
        assertFalse(handoff.belowPauseBound());
    }

    @Test
    void reachingMaxInFlightBytesPausesReading() {
        handoff(100, 10);
        handoff.offer("abcd");
        handoff.offer("efgh");
        assertEquals(0, pauses.get(), "8 of 10");
        assertEquals(8, handoff.pendingBytes());

        handoff.offer("ij");

        assertEquals(1, pauses.get());
        assertFalse(handoff.belowPauseBound());
    }

    @Test
    void readingResumesOnceTheBacklogFellToHalfNotAtTheFirstFreeSlot() {
        handoff(4, Long.MAX_VALUE);
        for (int i = 1; i <= 4; i++) {
            handoff.offer("m" + i);
        }
        assertEquals(1, pauses.get());

        executor.runAll();

        // m1 and m2 processed: 2 left, half of 4; the owner confirmed the resume, so draining to 0 asks no more
        assertEquals(List.of(0, 0, 1, 1), seen.stream().map(Seen::resumesSoFar).toList());
        assertEquals(1, resumes.get());
    }

    @Test
    void readingResumesOnceTheBytesFellToHalf() {
        handoff(100, 10);
        handoff.offer("abcdef");
        handoff.offer("ghij");
        assertEquals(1, pauses.get(), "10 of 10");

        executor.runAll();

        // after "abcdef" 4 bytes are left, at or below half of 10
        assertEquals(List.of(0, 1), seen.stream().map(Seen::resumesSoFar).toList());
        assertEquals(1, resumes.get());
    }

    @Test
    void withTheCountBoundLiftedOnlyTheBytesPauseReading() {
        handoff(2, 10);
        handoff.offer("a");
        handoff.offer("b");
        assertEquals(1, pauses.get(), "paused at maxInFlight");

        handoff.liftCountBound();

        assertEquals(1, resumes.get(), "the count alone held reading: resumed at once");
        assertTrue(handoff.belowPauseBound());
        handoff.offer("c");
        assertEquals(1, pauses.get(), "the count no longer pauses");
        handoff.offer("dddddddddd");
        assertEquals(2, pauses.get(), "the bytes still do");

        handoff.restoreCountBound();
        executor.runAll();
        handoff.offer("e");
        handoff.offer("f");
        assertEquals(3, pauses.get(), "the count pauses again once restored");
        assertEquals(List.of("a", "b", "c", "dddddddddd"), items());
    }

    @Test
    void noResumeIsAskedForWhenReadingWasNeverPaused() {
        handoff(4, Long.MAX_VALUE);
        for (int i = 1; i <= 3; i++) {
            handoff.offer("m" + i);
        }
        executor.runAll();

        assertEquals(3, seen.size());
        assertEquals(0, resumes.get());
    }

    @Test
    void awaitEmptyWaitsForTheDrainAndSaysWhetherItEmptied() throws Exception {
        handoff(100, Long.MAX_VALUE);
        handoff.offer("m1");
        handoff.offer("m2");
        assertFalse(handoff.awaitEmpty(Duration.ZERO), "nothing processed yet");
        assertFalse(handoff.awaitEmpty(Duration.ofMillis(20)), "no drain ran meanwhile");

        CompletableFuture<Boolean> emptied = CompletableFuture.supplyAsync(() -> {
            try {
                return handoff.awaitEmpty(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        executor.runAll();

        assertTrue(emptied.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("m1", "m2"), items());
    }

    @Test
    void aStoppedPoolIsReportedAndTheItemsWaitForTheNextDrain() {
        handoff(100, Long.MAX_VALUE);
        executor.shutDown(true);

        handoff.offer("m1");

        assertEquals(1, failures.size());
        assertInstanceOf(RejectedExecutionException.class, failures.get(0), "a forced stop is seen, not hidden");
        assertEquals(1, handoff.pending(), "still counted: a stop that waits for it does not think it was processed");
        assertFalse(handoff.isIdle());

        executor.shutDown(false);
        handoff.offer("m2");
        executor.runAll();

        assertEquals(List.of("m1", "m2"), items(), "the next drain takes both, in order");
        assertTrue(handoff.isIdle());
    }

    /**
     * Handing the drain to the pool can fail with more than a shut-down pool (an Error: no thread could be made, say).
     * Such a failure is reported, leaves no drain flag set behind it, and the next offer delivers what waits.
     */
    @Test
    void anErrorWhileSchedulingTheDrainIsReportedAndTheNextOfferDeliversWhatWaits() {
        handoff = handoffWhosePoolFailsOnce();

        handoff.offer("m1");

        assertEquals(1, failures.size());
        assertInstanceOf(InternalError.class, failures.get(0), "seen, not thrown at the event loop");
        assertEquals(1, handoff.pending());

        handoff.offer("m2");
        executor.runAll();

        assertEquals(List.of("m1", "m2"), items(), "the next offer's drain takes both, in order");
        assertTrue(handoff.isIdle());
    }

    /** A hand-off whose pool throws an Error the first time a drain is handed to it. */
    private OrderedHandoff<String> handoffWhosePoolFailsOnce() {
        AtomicInteger attempts = new AtomicInteger();
        return new OrderedHandoff<>(task -> {
            if (attempts.getAndIncrement() == 0) {
                throw new InternalError("simulated: no thread for the drain");
            }
            executor.execute(task);
        }, 100, Long.MAX_VALUE, String::length, () -> {
        }, () -> {
        }, (item, endOfBatch) -> seen.add(new Seen(item, endOfBatch, 0)), failures::add);
    }

    /** The same failure with no offer after it: a stop that waits for the hand-off schedules the drain itself. */
    @Test
    void aStopThatWaitsTakesWhatAFailedScheduleLeft() throws Exception {
        handoff = handoffWhosePoolFailsOnce();
        handoff.offer("m1");

        CompletableFuture<Boolean> emptied = CompletableFuture.supplyAsync(() -> {
            try {
                return handoff.awaitEmpty(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> executor.queued() == 1);
        executor.runAll();

        assertTrue(emptied.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("m1"), items());
    }

    @Test
    void whatTheWorkerThrowsStopsAtTheBoundaryAndTheDrainGoesOn() {
        List<String> processed = new ArrayList<>();
        handoff = new OrderedHandoff<>(executor, 100, Long.MAX_VALUE, String::length, () -> {
        }, () -> {
        }, (item, endOfBatch) -> {
            processed.add(item);
            if (item.equals("m1")) {
                throw new OutOfMemoryError("test");
            }
        }, failures::add);
        handoff.offer("m1");
        handoff.offer("m2");

        executor.runAll();

        assertEquals(List.of("m1", "m2"), processed);
        assertEquals(1, failures.size());
        assertInstanceOf(OutOfMemoryError.class, failures.get(0));
        assertEquals(0, handoff.pending());
        assertTrue(handoff.isIdle());
    }

    @Test
    void aNewStartsItemsWaitUntilThePreviousHandOffIsIdle() {
        OrderedHandoff<String> previous = handoff(100, Long.MAX_VALUE);
        previous.offer("old");
        OrderedHandoff<String> next = new OrderedHandoff<>(executor, 100, () -> {
        }, () -> {
        }, (item, endOfBatch) -> seen.add(new Seen(item, endOfBatch, 0)));
        next.startAfter(previous);

        next.offer("new");
        assertEquals(1, executor.queued(), "only the previous hand-off's drain may run");

        executor.runAll();

        assertEquals(List.of("old", "new"), items());
        assertTrue(next.isIdle());
    }

    /** A worker that takes 10 ms of the test's clock per item. */
    private OrderedHandoff.Worker<String> tenMillisEach(AtomicLong clock) {
        return (item, endOfBatch) -> {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            seen.add(new Seen(item, endOfBatch, 0));
        };
    }

    /** A hand-off on the test's clock, its drain yielding when {@code othersWait}, with m1 to m8 offered. */
    private void slicedHandoffWithEightItems(boolean othersWait) {
        AtomicLong clock = new AtomicLong();
        handoff = new OrderedHandoff<>(executor, 100, Long.MAX_VALUE, String::length, () -> {
        }, () -> {
        }, tenMillisEach(clock), failures::add, clock::get);
        handoff.yieldWhen(() -> othersWait);
        for (int i = 1; i <= 8; i++) {
            handoff.offer("m" + i);
        }
    }

    @Test
    void aDrainHandsItsThreadOverAfterASliceWhileOthersWaitAndGoesOnInOrder() {
        slicedHandoffWithEightItems(true);

        executor.runOne();

        // 10 ms each: the slice of 25 ms is over after the third
        assertEquals(List.of("m1", "m2", "m3"), items());
        assertEquals(1, executor.queued(), "the drain queued itself behind the others");
        assertFalse(handoff.isIdle(), "still draining: an offer starts no second drain");
        handoff.offer("m9");
        assertEquals(1, executor.queued());

        executor.runAll();

        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), items());
        assertTrue(handoff.isIdle());
        assertEquals(List.of(), failures);
    }

    @Test
    void withNoOtherDrainWaitingADrainKeepsItsThread() {
        slicedHandoffWithEightItems(false);

        executor.runOne();

        assertEquals(8, items().size(), "all in one drain, however long it took");
        assertEquals(0, executor.queued());
        assertTrue(handoff.isIdle());
    }

    @Test
    void aHandOverThePoolRefusesGoesOnInTheSameThread() {
        slicedHandoffWithEightItems(true);
        // the exit shut the pool down while the drain waited for its turn (a forced stop's spill)
        executor.shutDown(true);

        executor.runOne();

        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"), items(), "none left behind, in order");
        assertTrue(handoff.isIdle());
        assertEquals(List.of(), failures, "a refused hand-over is no failure");
    }

    @Test
    void aStartAfterAPreviousHandOffHandsOverToThePool() {
        OrderedHandoff<String> previous = handoff(100, Long.MAX_VALUE);
        previous.offer("old");
        executor.runAll();
        AtomicLong clock = new AtomicLong();
        OrderedHandoff<String> next = new OrderedHandoff<>(executor, 100, Long.MAX_VALUE, String::length, () -> {
        }, () -> {
        }, tenMillisEach(clock), failures::add, clock::get);
        next.yieldWhen(() -> true);
        next.startAfter(previous);
        for (int i = 1; i <= 5; i++) {
            next.offer("new" + i);
        }

        executor.runOne();

        assertEquals(List.of("old", "new1", "new2", "new3"), items());
        assertEquals(1, executor.queued(), "the rest queued behind the others");
        executor.runAll();
        assertEquals(List.of("old", "new1", "new2", "new3", "new4", "new5"), items());
        assertTrue(next.isIdle());
    }
}
