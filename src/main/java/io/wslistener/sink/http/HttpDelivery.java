package io.wslistener.sink.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.WriteTally;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP sink's own bounded, ordered buffer and its single delivery thread.
 * <p>
 * The route hands a message over and goes on to its next step (another sink) at once; it is held back only when the
 * buffer is full, in messages ({@code bufferSize}) or in bytes ({@code maxBufferBytes}, the messages waiting plus the
 * batch being posted), and then the WebSocket consumer pauses the socket through its {@code maxInFlight}. A message
 * larger than the byte budget is still taken, alone, once the buffer is empty. The delivery thread
 * posts messages in arrival order and retries the head of the line until it succeeds or is given up, so a retrying
 * message holds back the ones after it and nothing is ever reordered.
 * <p>
 * Why not SEDA plus Camel's RedeliveryErrorHandler: a kamelet is a single route, so it cannot also hold the SEDA
 * consumer route that would feed an error handler. The error handler could honour Retry-After (through the
 * {@code CamelRedeliveryDelay} header), but the loop here also has to dead-letter a message with its status and
 * attempts, and be cut short by the stop deadline; that is a dozen lines on a thread we own anyway.
 * <p>
 * Meters (those of the route each message came from): written when its batch was delivered; the latency once per
 * delivered batch, from its first attempt to the 2xx answer (retries and their waits included); a retry each time a
 * batch is tried again; dead-lettered for each message written to the dead letter, whatever the reason (a 4xx answer,
 * retries run out, the stop deadline, a message offered while stopping).
 * <p>
 * Nothing thrown in the delivery thread goes unnoticed: a {@link Throwable} that escapes a batch (an Error such as
 * StackOverflowError or OutOfMemoryError) is caught at the loop, logged at ERROR naming the sink, counted, and its batch
 * goes to the dead letter; the thread goes on with the next batch. Should the thread still end (an Error while handling
 * that), {@link #offer} throws at once instead of waiting for a thread that is gone, so the message goes through the
 * route's error handling, and the sink's health check is DOWN.
 */
final class HttpDelivery extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
    /**
     * How long a stop waits for the delivery thread once its post was aborted (it dead-letters the batch and ends); a
     * context stop no longer than until its exit deadline ({@link StopBudget#untilExitNanos()}).
     */
    private static final long ABORTED_POST_MILLIS = 1000;

    /** Where messages go that were not delivered: with the attempts made, the last status (or null) and the cause. */
    @FunctionalInterface
    interface DeadLetter {

        void deadLetter(List<Object> messages, int attempts, Integer status, Exception cause) throws Exception;
    }

    private final String name;
    private final int batchSize;
    private final int bufferSize;
    private final long maxBufferBytes;
    private final int maxRetries;
    private final Backoff backoff;
    private final long maxDelayMillis;
    private final Duration drainTimeout;
    private final StopBudget budget;
    private final Function<List<Object>, HttpAttempt> poster;
    private final DeadLetter deadLetter;
    private final ExecutorServiceManager executors;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong deliveryErrors = new AtomicLong();

    // the current failure episode, for the health check: failed attempts in a row (across batches) until a success
    private volatile int failuresInARow;
    private volatile long failingSinceMillis;
    private volatile Throwable lastFailure;
    // set when the delivery thread ended while it should still run
    private volatile Throwable workerDeath;

    /** A message waiting for delivery, with the meters of the route it came from and what it weighs. */
    private record Queued(Object message, SinkMeters meters, long bytes) {
    }

    // confined to the delivery thread: the batch being delivered, its messages and who they came from
    private final List<Queued> polled;
    private final List<Object> batchMessages;
    private final WriteTally batchPerRoute = new WriteTally();

    // the buffer: guarded by lock; bufferedBytes counts the queued messages and the batch being delivered
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long bufferedBytes;
    private long batchBytes; // confined to the delivery thread
    private boolean batchSettled; // confined to the delivery thread: the batch was delivered or dead-lettered

    private ExecutorService thread;
    private CountDownLatch finished;
    private CountDownLatch abandon;
    private volatile boolean closing;
    private volatile boolean abandoned;
    private volatile int inDelivery;
    private volatile Runnable abortPost = () -> {
    };
    private final AtomicBoolean postAborted = new AtomicBoolean();

    HttpDelivery(String name, int batchSize, int bufferSize, long maxBufferBytes, int maxRetries, Backoff backoff,
                 long maxDelayMillis, Duration drainTimeout, StopBudget budget,
                 Function<List<Object>, HttpAttempt> poster,
                 DeadLetter deadLetter, ExecutorServiceManager executors) {
        this.name = name;
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
        this.maxBufferBytes = maxBufferBytes;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.maxDelayMillis = maxDelayMillis;
        this.drainTimeout = drainTimeout;
        this.budget = budget;
        this.poster = poster;
        this.deadLetter = deadLetter;
        this.executors = executors;
        this.polled = new ArrayList<>(batchSize);
        this.batchMessages = new ArrayList<>(batchSize);
    }

    /**
     * Queues a message for delivery, waiting while the buffer is full (in messages or in bytes); {@code meters} are
     * those of its route.
     *
     * @throws IllegalStateException at once when the delivery thread is gone, so that the message goes through the
     *                               route's error handling instead of waiting for ever
     */
    void offer(Object message, SinkMeters meters) throws Exception {
        Queued queued = new Queued(message, meters, sizeOf(message));
        lock.lockInterruptibly();
        try {
            while (!closing && !budget.expired()) {
                Throwable death = workerDeath;
                if (death != null) {
                    throw new IllegalStateException("HTTP sink " + name + ": its delivery thread has stopped ("
                            + death + "); the message was not taken", death);
                }
                // a message larger than the whole budget is still taken, alone, rather than never
                boolean fits = bufferedBytes == 0 || bufferedBytes + queued.bytes() <= maxBufferBytes;
                if (queue.size() < bufferSize && fits) {
                    queue.add(queued);
                    bufferedBytes += queued.bytes();
                    changed.signalAll();
                    return;
                }
                changed.await(100, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        if (budget.expired()) {
            giveUpAtTheDeadline();
        }
        deadLetter.deadLetter(List.of(message), 0, null,
                new IllegalStateException("HTTP sink " + name + " is stopping"));
        deadLettered.incrementAndGet();
        meters.deadLettered();
    }

    /**
     * The stop's deadline passed while the route still offers: the post in progress is cut short now (its batch and
     * what waits go to the dead letter as the delivery thread ends), not only once Camel stops this route, which may be
     * at shutdownTimeout itself.
     */
    private void giveUpAtTheDeadline() {
        abandoned = true;
        abandon.countDown();
        if (postAborted.compareAndSet(false, true)) {
            abortPost.run();
        }
    }

    /**
     * How to cut a post in progress short (close its connection) when the stop gives up on the delivery thread: a server
     * that takes the request and never answers would otherwise hold the thread, and the stop, until responseTimeout.
     */
    void abortPostWith(Runnable abort) {
        this.abortPost = abort;
    }

    /** What a message weighs against {@code maxBufferBytes}: its bytes, or for text its characters. */
    static long sizeOf(Object message) {
        if (message instanceof byte[] bytes) {
            return bytes.length;
        }
        if (message instanceof CharSequence text) {
            return text.length();
        }
        return 0;
    }

    /** Messages waiting or being delivered. */
    int pending() {
        lock.lock();
        try {
            return queue.size() + inDelivery;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the messages waiting or being delivered (text counts its characters). */
    long bufferedBytes() {
        lock.lock();
        try {
            return bufferedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Throwables (Errors included) that escaped a batch's delivery and were caught at the delivery loop. */
    long deliveryErrorCount() {
        return deliveryErrors.get();
    }

    /** Failed attempts in a row, over batches, since the last success (0 when the last attempt succeeded). */
    int failuresInARow() {
        return failuresInARow;
    }

    /** When the current run of failures began (epoch millis); meaningful while {@link #failuresInARow()} > 0. */
    long failingSinceMillis() {
        return failingSinceMillis;
    }

    /** The cause of the last failed attempt of the current run of failures, or null. */
    Throwable lastFailure() {
        return lastFailure;
    }

    /** Why the delivery thread ended while it should have run on, or null while it runs. */
    Throwable workerDeath() {
        return workerDeath;
    }

    long deliveredCount() {
        return delivered.get();
    }

    long retryCount() {
        return retries.get();
    }

    long deadLetteredCount() {
        return deadLettered.get();
    }

    @Override
    protected void doStart() {
        lock.lock();
        try {
            queue.clear();
            bufferedBytes = 0;
        } finally {
            lock.unlock();
        }
        workerDeath = null;
        failuresInARow = 0;
        lastFailure = null;
        closing = false;
        abandoned = false;
        finished = new CountDownLatch(1);
        abandon = new CountDownLatch(1);
        thread = executors.newSingleThreadExecutor(this, "SinkHttp[" + name + "]");
        thread.execute(this::deliverUntilClosed);
    }

    /**
     * Drains: what is buffered is delivered within {@code drainTimeout}; what is still undelivered then goes to the
     * dead letter, so a stop never loses a message.
     */
    @Override
    protected void doStop() throws Exception {
        closing = true;
        // one budget for the whole stop: drainTimeout, capped by what is left of the context's shutdownTimeout
        Duration drain = budget.cap(drainTimeout);
        // Camel interrupts a stop that reached its shutdownTimeout: stop waiting then, but still dead-letter what is held
        boolean interrupted = false;
        boolean ended;
        try {
            ended = finished.await(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            ended = false;
        }
        if (!ended) {
            LOG.warn("HTTP sink {}: {} message(s) not delivered within {} ms (drainTimeout {}, capped by the stop"
                    + " budget); they go to the dead letter", name, pending(), drain.toMillis(), drainTimeout);
            // a post in progress is cut short, so that its batch goes to the dead letter now rather than after
            // responseTimeout; no interrupt: it would close the dead-letter file's channel under the delivery thread
            giveUpAtTheDeadline();
            long wait = budget.isStopping()
                    ? Math.min(ABORTED_POST_MILLIS, TimeUnit.NANOSECONDS.toMillis(budget.untilExitNanos()))
                    : ABORTED_POST_MILLIS;
            if (!awaitEnd(Math.max(0, wait))) {
                LOG.warn("HTTP sink {}: the delivery thread did not end", name);
            }
        }
        executors.shutdown(thread);
        deadLetterWhatWaits();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void deadLetterWaitingQuietly() {
        try {
            deadLetterWhatWaits();
        } catch (Exception e) {
            LOG.error("HTTP sink {}: messages could not be written to the dead letter: {}", name, e.getMessage(), e);
        }
    }

    /** Takes what still waits in the buffer out of it and writes it to the dead letter. */
    private void deadLetterWhatWaits() throws Exception {
        List<Queued> left = new ArrayList<>();
        lock.lock();
        try {
            left.addAll(queue);
            queue.clear();
            bufferedBytes = Math.max(0, bufferedBytes - left.stream().mapToLong(Queued::bytes).sum());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!left.isEmpty()) {
            WriteTally leftPerRoute = new WriteTally();
            left.forEach(queued -> leftPerRoute.add(queued.meters()));
            deadLetter.deadLetter(left.stream().map(Queued::message).toList(), 0, null,
                    new IllegalStateException("HTTP sink " + name + " stopped before delivering within drainTimeout"));
            deadLettered.addAndGet(left.size());
            leftPerRoute.deadLettered();
        }
    }

    /** Waits for the delivery thread to end, an interrupt notwithstanding (it is kept for the caller). */
    private boolean awaitEnd(long millis) {
        boolean interrupted = Thread.interrupted();
        try {
            return finished.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
            return finished.getCount() == 0;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliverUntilClosed() {
        Throwable death = null;
        try {
            while (!abandoned && !budget.expired()) {
                if (!takeBatch()) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                try {
                    deliver(batchMessages);
                } catch (Throwable error) {
                    // the loop boundary: whatever escaped this batch, the thread goes on with the next one
                    deliveryFailedUnexpectedly(error);
                } finally {
                    releaseBatch();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable error) {
            death = error;
        } finally {
            if (death == null && (abandoned || budget.expired())) {
                // given up at the stop's deadline: what waits goes to the dead letter now, after the batch it held
                deadLetterWaitingQuietly();
            }
            if (!closing && !abandoned && !budget.expired()) {
                // ended while it should run on: say so, and make offer fail fast instead of waiting for it
                Throwable why = death != null ? death
                        : new IllegalStateException("the delivery thread was interrupted");
                workerDeath = why;
                deliveryErrors.incrementAndGet();
                LOG.error("HTTP sink {}: the delivery thread stopped ({}); new messages are refused and go to the"
                        + " route's error handling until the route is restarted", name, why, why);
                lock.lock();
                try {
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            finished.countDown();
        }
    }

    /** Takes the next batch into {@link #polled}; false when nothing came within 100 ms. */
    private boolean takeBatch() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (queue.isEmpty()) {
                changed.await(100, TimeUnit.MILLISECONDS);
            }
            batchBytes = 0;
            while (!queue.isEmpty() && polled.size() < batchSize) {
                Queued queued = queue.poll();
                polled.add(queued);
                batchBytes += queued.bytes();
            }
            inDelivery = polled.size();
            if (!polled.isEmpty()) {
                // room for the route again (in messages; the bytes stay counted until the batch is done)
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (polled.isEmpty()) {
            return false;
        }
        for (Queued queued : polled) {
            batchMessages.add(queued.message());
            batchPerRoute.add(queued.meters());
        }
        return true;
    }

    /** The batch was delivered or given up: its bytes are free for the route again. */
    private void releaseBatch() {
        batchSettled = false;
        polled.clear();
        batchMessages.clear();
        batchPerRoute.clear();
        lock.lock();
        try {
            inDelivery = 0;
            // never below 0: a stop that gave up on this thread may have emptied the buffer under it
            bufferedBytes = Math.max(0, bufferedBytes - batchBytes);
            batchBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A Throwable escaped the delivery of a batch (an Error from the HTTP client, a bug): log it at ERROR, count it, and
     * put the batch in the dead letter, so that it is accounted for and the messages after it go on.
     */
    private void deliveryFailedUnexpectedly(Throwable error) {
        deliveryErrors.incrementAndGet();
        if (batchSettled) {
            // delivered or dead-lettered already: the Error came after (the meters); dead-lettering it again would
            // duplicate it on replay
            LOG.error("HTTP sink {}: failed unexpectedly after its batch was settled ({}); the delivery thread goes on",
                    name, error, error);
            return;
        }
        failed(error);
        LOG.error("HTTP sink {}: delivering {} message(s) failed unexpectedly ({}); they go to the dead letter and the"
                + " delivery thread goes on", name, batchMessages.size(), error, error);
        Exception cause = error instanceof Exception e ? e
                : new IllegalStateException(error.getClass().getName() + " in the delivery thread", error);
        try {
            deadLetter.deadLetter(new ArrayList<>(batchMessages), 0, null, cause);
            batchSettled = true;
            deadLettered.addAndGet(batchMessages.size());
            batchPerRoute.deadLettered();
        } catch (Exception e) {
            LOG.error("HTTP sink {}: {} message(s) could not be written to the dead letter: {}", name,
                    batchMessages.size(), e.getMessage(), e);
        }
    }

    private void failed(Throwable cause) {
        if (failuresInARow == 0) {
            failingSinceMillis = System.currentTimeMillis();
        }
        lastFailure = cause;
        failuresInARow++;
    }

    private void succeeded() {
        failuresInARow = 0;
        lastFailure = null;
    }

    /** Posts one batch until it is delivered or given up; never returns with the batch lost. */
    private void deliver(List<Object> batch) {
        HttpAttempt attempt = null;
        int attempts = 0;
        long start = System.nanoTime();
        while (true) {
            attempts++;
            try {
                attempt = poster.apply(batch);
            } catch (RuntimeException e) {
                attempt = HttpAttempt.noResponse(e, false);
            }
            if (attempt.delivered()) {
                batchSettled = true;
                succeeded();
                delivered.addAndGet(batch.size());
                batchPerRoute.written(System.nanoTime() - start);
                if (attempts > 1) {
                    LOG.info("HTTP sink {}: delivered after {} attempts", name, attempts);
                }
                return;
            }
            failed(attempt.cause());
            boolean retriesLeft = maxRetries < 0 || attempts <= maxRetries;
            if (!attempt.retryable() || !retriesLeft || abandoned || budget.expired()) {
                break;
            }
            long delay = retryDelay(attempt, attempts);
            String retryAfter = attempt.retryAfterMillis() < 0 ? ""
                    : " (Retry-After " + attempt.retryAfterText() + " -> " + delay + " ms, within initialDelay.."
                            + maxDelayMillis + " ms)";
            if (attempts == 1) {
                LOG.warn("HTTP sink {}: posting failed ({}); retrying in {} ms{}, later messages wait", name,
                        DeadLetterRecord.describe(attempt.cause()), delay, retryAfter);
            } else {
                LOG.debug("HTTP sink {}: attempt {} failed ({}); retrying in {} ms{}", name, attempts,
                        DeadLetterRecord.describe(attempt.cause()), delay, retryAfter);
            }
            retries.incrementAndGet();
            batchPerRoute.retried();
            if (!pause(delay)) {
                break;
            }
        }
        LOG.warn("HTTP sink {}: {} message(s) go to the dead letter after {} attempt(s): {}", name, batch.size(),
                attempts, DeadLetterRecord.describe(attempt.cause()));
        try {
            deadLetter.deadLetter(new ArrayList<>(batch), attempts, attempt.status(), attempt.cause());
            batchSettled = true;
            deadLettered.addAndGet(batch.size());
            batchPerRoute.deadLettered();
        } catch (Exception e) {
            LOG.error("HTTP sink {}: {} message(s) could not be written to the dead letter: {}", name, batch.size(),
                    e.getMessage(), e);
        }
    }

    /**
     * The wait before the next attempt: the server's Retry-After when it sent one, but never less than the backoff's
     * delay (a Retry-After of 0, a date in the past or one that cannot be read would otherwise retry in a hot loop) and
     * never more than maxDelay (86400 would stall the feed for a day).
     */
    long retryDelay(HttpAttempt attempt, int attempts) {
        long backoffDelay = backoff.delayMillis(attempts, 0);
        if (attempt.retryAfterMillis() < 0) {
            return backoffDelay;
        }
        return Math.min(maxDelayMillis, Math.max(backoffDelay, attempt.retryAfterMillis()));
    }

    /** Waits before the next attempt; false when the stop deadline cut the wait short. */
    private boolean pause(long millis) {
        try {
            long untilGiveUp = TimeUnit.NANOSECONDS.toMillis(budget.giveUpInNanos());
            return !abandon.await(Math.max(0, Math.min(millis, untilGiveUp)), TimeUnit.MILLISECONDS)
                    && !budget.expired();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
