package io.wslistener.source;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Hands messages from the event loop to the route, one after another in arrival order, with a bound on what may wait,
 * in messages ({@code maxInFlight}) and in bytes ({@code maxInFlightBytes}): reaching either pauses reading from the
 * socket; falling to half of the count, half of the bytes, or to nothing asks for a resume, which the owner confirms
 * with {@link #belowPauseBound()} on the thread that offers.
 * <p>
 * Messages are processed by at most one task at a time on a shared executor (a serial drain), so a route holds a thread
 * only while it has messages, and a quiet feed holds none. Camel's SEDA queue would give ordering too, but not the
 * pause/resume signal the socket needs, and Vert.x's ordered {@code executeBlocking} costs a task per message. On a
 * pool with fewer threads than busy feeds ({@link #yieldWhen}) a drain that never runs dry hands its thread over after
 * a slice of {@link #SLICE}, so that a fast stream cannot keep the other feeds waiting.
 * <p>
 * Whatever the worker throws, an {@link Error} included, stops at this boundary: it is reported to the error handler and
 * the drain goes on with the next message, so a failure can neither wedge the feed nor kill the delivery thread.
 */
public final class OrderedHandoff<T> {

    /** Processes one item; {@code endOfBatch} is true when nothing else is waiting (a good moment to flush). */
    @FunctionalInterface
    public interface Worker<T> {

        void process(T item, boolean endOfBatch);
    }

    /** @param offeredAt when the item was offered, by the hand-off's clock */
    private record Entry<T>(T item, long bytes, long offeredAt) {
    }

    private static final long NONE = Long.MIN_VALUE;

    /**
     * How long a drain processes before it lets other drains waiting for a thread go first. Long enough that handing
     * over (a queue offer and a thread's wake-up, tens of microseconds) is lost in it; short enough that a feed behind a
     * few dozen busy ones per thread still gets its turn within a second, as a live feed expects.
     */
    static final Duration SLICE = Duration.ofMillis(25);

    private static final long SLICE_NANOS = SLICE.toNanos();

    private final Queue<Entry<T>> queue = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> whenIdle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Executor executor;
    // the pool itself, without startAfter's wait: a drain at work hands over to it directly
    private final Executor pool;
    // whether other drains wait for a thread of the pool: only then does a drain end its slice
    private volatile BooleanSupplier othersWait = () -> false;
    private final int maxInFlight;
    private final long maxInFlightBytes;
    private final int resumeAt;
    private final long resumeAtBytes;
    private final ToLongFunction<T> sizeOf;
    private final Runnable pause;
    private final Runnable resume;
    private final Worker<T> worker;
    private final Consumer<Throwable> onFailure;
    private final LongSupplier nanoClock;
    // when the item being processed was offered, or NONE between items; read by health checks on other threads
    private volatile long processingSince = NONE;
    private final Runnable drainTask = this::drain;
    private final Object idle = new Object();
    private volatile boolean awaitingEmpty;
    // set by the producer when it paused reading; a resume is asked for only then
    private volatile boolean pauseRequested;
    // only maxInFlightBytes bounds what waits (liftCountBound)
    private volatile boolean countBoundLifted;

    public OrderedHandoff(Executor executor, int maxInFlight, Runnable pause, Runnable resume, Worker<T> worker) {
        this(executor, maxInFlight, Long.MAX_VALUE, item -> 0, pause, resume, worker, e -> {
        });
    }

    /**
     * @param sizeOf    what an item weighs against {@code maxInFlightBytes}
     * @param onFailure told of anything the worker threw (must not throw itself)
     */
    public OrderedHandoff(Executor executor, int maxInFlight, long maxInFlightBytes, ToLongFunction<T> sizeOf,
                          Runnable pause, Runnable resume, Worker<T> worker, Consumer<Throwable> onFailure) {
        this(executor, maxInFlight, maxInFlightBytes, sizeOf, pause, resume, worker, onFailure, System::nanoTime);
    }

    /** @param nanoClock what {@link #oldestWaitNanos()} measures with, as {@link System#nanoTime()} */
    OrderedHandoff(Executor executor, int maxInFlight, long maxInFlightBytes, ToLongFunction<T> sizeOf, Runnable pause,
                   Runnable resume, Worker<T> worker, Consumer<Throwable> onFailure, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.executor = executor;
        this.pool = executor;
        this.maxInFlight = maxInFlight;
        this.maxInFlightBytes = maxInFlightBytes;
        this.resumeAt = maxInFlight / 2;
        this.resumeAtBytes = maxInFlightBytes / 2;
        this.sizeOf = sizeOf;
        this.pause = pause;
        this.resume = resume;
        this.worker = worker;
        this.onFailure = onFailure;
    }

    /** Called by the single producer (the connection's event loop). */
    public void offer(T item) {
        long bytes = sizeOf.applyAsLong(item);
        // counted before it is queued, so the drain never takes away what was not yet added
        int count = pending.incrementAndGet();
        long total = pendingBytes.addAndGet(bytes);
        if ((count >= maxInFlight && !countBoundLifted) || total >= maxInFlightBytes) {
            pauseRequested = true;
            pause.run();
        }
        queue.add(new Entry<>(item, bytes, nanoClock.getAsLong()));
        if (draining.compareAndSet(false, true)) {
            schedule();
        }
    }

    /** Messages received and not yet processed, the one being processed included. */
    public int pending() {
        return pending.get();
    }

    /** What {@link #pending()} weighs, by the size function. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /**
     * How long the oldest item offered and not yet processed has waited (the one being processed, or else the first
     * one waiting), in nanoseconds: 0 when nothing waits. It grows however the socket does, whether reading is paused
     * or not: a route stuck on one message of a quiet feed shows here. Any thread.
     */
    public long oldestWaitNanos() {
        long since = processingSince;
        if (since == NONE) {
            Entry<T> first = queue.peek();
            if (first == null) {
                return 0;
            }
            since = first.offeredAt();
        }
        return Math.max(1, nanoClock.getAsLong() - since);
    }

    /** True when neither bound is reached: reading may go on. */
    public boolean belowPauseBound() {
        return (countBoundLifted || pending.get() < maxInFlight) && pendingBytes.get() < maxInFlightBytes;
    }

    /**
     * From now on only {@code maxInFlightBytes} pauses reading, not the count: for a stop that no longer hands messages
     * to the route but appends them to a local file, where pausing and resuming every few hundred small messages would
     * cost more than the writing. Reading resumes now if only the count held it. Any thread.
     */
    public void liftCountBound() {
        countBoundLifted = true;
        if (pauseRequested) {
            resume.run();
        }
    }

    /** Ends {@link #liftCountBound()}: {@code maxInFlight} pauses reading again (a resume after a suspend). */
    public void restoreCountBound() {
        countBoundLifted = false;
    }

    /** The producer resumed reading (on its own thread). */
    public void resumed() {
        pauseRequested = false;
    }

    /** Nothing pending and no drain task at work: a new hand-off may take over without two running at once. */
    public boolean isIdle() {
        return pending.get() == 0 && !draining.get();
    }

    /**
     * Makes this hand-off's first drain wait until {@code previous} (of the same route's last start) is idle: its
     * messages came first, and one route is processed by one thread at a time. Call before the first offer.
     */
    public void startAfter(OrderedHandoff<?> previous) {
        Executor pool = executor;
        executor = task -> previous.whenIdle(() -> {
            try {
                pool.execute(task);
            } catch (Throwable e) {
                notScheduled(e);
            }
        });
    }

    /**
     * Makes a drain that has processed for a {@link #SLICE} while {@code othersWait} says other drains wait for a thread
     * hand its thread over: it queues itself behind them (the hand-off stays draining, so no second drain starts and the
     * order holds) and returns. When the pool refuses (shut down at exit) it goes on in the thread it has, so that a
     * forced stop's writing to the undelivered file is not cut short. {@code othersWait} is asked only after a message,
     * and the clock only when it says yes: nothing is added per message while the pool has threads to spare. Call before
     * the first offer.
     */
    public void yieldWhen(BooleanSupplier othersWait) {
        this.othersWait = othersWait;
    }

    /** Runs {@code action} as soon as this hand-off is idle: at once when it is, else at the end of its drain. */
    void whenIdle(Runnable action) {
        whenIdle.add(action);
        if (isIdle()) {
            runIdleActions();
        }
    }

    private void runIdleActions() {
        Runnable action;
        while ((action = whenIdle.poll()) != null) {
            try {
                action.run();
            } catch (Throwable e) {
                report(e);
            }
        }
    }

    /**
     * Waits until everything offered so far is processed, or the timeout passes.
     *
     * @return true when nothing is pending any more
     */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // what waits since a drain could not be scheduled (and no offer came since to try again) is taken now
        if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            schedule();
        }
        synchronized (idle) {
            awaitingEmpty = true;
            try {
                long left;
                while (pending.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                }
            } finally {
                awaitingEmpty = false;
            }
        }
        return pending.get() == 0;
    }

    private void schedule() {
        try {
            executor.execute(drainTask);
        } catch (Throwable e) {
            notScheduled(e);
        }
    }

    /**
     * The drain task could not be handed to the pool: shut down (a forced stop; nothing will process what waits, so say
     * so instead of hiding it), or anything else (no thread could be made: OutOfMemoryError). The flag must not stay
     * set, or no later offer would schedule a drain again and the feed would never deliver again: the next offer tries
     * anew, and takes what waits along.
     */
    private void notScheduled(Throwable e) {
        draining.set(false);
        report(e);
    }

    private void drain() {
        BooleanSupplier yieldWanted = othersWait;
        long sliceStart = nanoClock.getAsLong();
        boolean mayYield = true;
        try {
            do {
                Entry<T> entry;
                while ((entry = queue.poll()) != null) {
                    processingSince = entry.offeredAt();
                    try {
                        worker.process(entry.item(), queue.isEmpty());
                    } catch (Throwable e) {
                        // an Error too: it must not leave the drain flag set (nothing would be delivered again) or
                        // kill the pool's thread; the owner makes it visible
                        report(e);
                    } finally {
                        processingSince = NONE;
                        done(entry.bytes());
                    }
                    if (mayYield && yieldWanted.getAsBoolean() && nanoClock.getAsLong() - sliceStart >= SLICE_NANOS
                            && !queue.isEmpty()) {
                        if (handOver()) {
                            return;
                        }
                        mayYield = false;
                    }
                }
                draining.set(false);
                // an offer between the last poll and the reset above saw draining=true and did not schedule: take it here
            } while (!queue.isEmpty() && draining.compareAndSet(false, true));
        } catch (Throwable e) {
            // only the bookkeeping above could get here (an OutOfMemoryError in a notify): never leave the flag set
            draining.set(false);
            report(e);
        }
        if (!whenIdle.isEmpty() && isIdle()) {
            runIdleActions();
        }
    }

    /**
     * Queues the drain behind the others waiting for a thread, the hand-off still draining. Straight to the pool: a
     * drain at work began after the previous start's hand-off was idle ({@link #startAfter}), and that one takes no more
     * messages.
     *
     * @return false when the pool refused it (shut down): the drain goes on in this thread
     */
    private boolean handOver() {
        try {
            pool.execute(drainTask);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private void done(long bytes) {
        long bytesBefore = pendingBytes.getAndAdd(-bytes);
        long bytesLeft = bytesBefore - bytes;
        int left = pending.decrementAndGet();
        if (pauseRequested
                && (left == resumeAt || left == 0 || (bytesBefore > resumeAtBytes && bytesLeft <= resumeAtBytes))) {
            resume.run();
        }
        if (left == 0 && awaitingEmpty) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private void report(Throwable e) {
        try {
            onFailure.accept(e);
        } catch (Throwable ignored) {
            // the handler itself failed (out of memory): the drain must still go on
        }
    }
}
