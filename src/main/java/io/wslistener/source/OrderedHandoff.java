package io.wslistener.source;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands messages from the event loop to the route, one after another in arrival order, with a bound on how many may
 * wait: reaching {@code maxInFlight} pauses reading from the socket, draining to half of it resumes.
 * <p>
 * Messages are processed by at most one task at a time on a shared executor (a serial drain), so a route holds a thread
 * only while it has messages, and a quiet feed holds none. Camel's SEDA queue would give ordering too, but not the
 * pause/resume signal the socket needs, and Vert.x's ordered {@code executeBlocking} costs a task per message.
 */
public final class OrderedHandoff<T> {

    /** Processes one item; {@code endOfBatch} is true when nothing else is waiting (a good moment to flush). */
    @FunctionalInterface
    public interface Worker<T> {
        void process(T item, boolean endOfBatch);
    }

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor executor;
    private final int maxInFlight;
    private final int resumeAt;
    private final Runnable pause;
    private final Runnable resume;
    private final Worker<T> worker;
    private final Runnable drainTask = this::drain;
    private final Object idle = new Object();
    private volatile boolean awaitingEmpty;

    public OrderedHandoff(Executor executor, int maxInFlight, Runnable pause, Runnable resume, Worker<T> worker) {
        this.executor = executor;
        this.maxInFlight = maxInFlight;
        this.resumeAt = maxInFlight / 2;
        this.pause = pause;
        this.resume = resume;
        this.worker = worker;
    }

    /** Called by the single producer (the connection's event loop). */
    public void offer(T item) {
        queue.add(item);
        if (pending.incrementAndGet() >= maxInFlight) {
            pause.run();
        }
        if (draining.compareAndSet(false, true)) {
            executor.execute(drainTask);
        }
    }

    /** Messages received and not yet processed, the one being processed included. */
    public int pending() {
        return pending.get();
    }

    /**
     * Waits until everything offered so far is processed, or the timeout passes.
     *
     * @return true when nothing is pending any more
     */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
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

    private void drain() {
        do {
            T item;
            while ((item = queue.poll()) != null) {
                try {
                    worker.process(item, queue.isEmpty());
                } finally {
                    int left = pending.decrementAndGet();
                    if (left == resumeAt) {
                        resume.run();
                    }
                    if (left == 0 && awaitingEmpty) {
                        synchronized (idle) {
                            idle.notifyAll();
                        }
                    }
                }
            }
            draining.set(false);
            // an offer between the last poll and the reset above saw draining=true and did not schedule: take it here
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }
}
