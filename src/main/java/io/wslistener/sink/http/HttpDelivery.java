package io.wslistener.sink.http;

import io.wslistener.sink.WriteTally;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
import io.wslistener.metrics.SinkMeters;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP sink's own bounded, ordered buffer and its single delivery thread.
 * <p>
 * The route hands a message over and goes on to its next step (another sink) at once; it is held back only when the
 * buffer is full, and then the WebSocket consumer pauses the socket through its {@code maxInFlight}. The delivery thread
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
 */
final class HttpDelivery extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);

    /** Where messages go that were not delivered: with the attempts made, the last status (or null) and the cause. */
    @FunctionalInterface
    interface DeadLetter {
        void deadLetter(List<Object> messages, int attempts, Integer status, Exception cause) throws Exception;
    }

    private final String name;
    private final int batchSize;
    private final int bufferSize;
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

    /** A message waiting for delivery, with the meters of the route it came from. */
    private record Queued(Object message, SinkMeters meters) {
    }

    // confined to the delivery thread: the batch being delivered, its messages and who they came from
    private final List<Queued> polled;
    private final List<Object> batchMessages;
    private final WriteTally batchPerRoute = new WriteTally();

    private BlockingQueue<Queued> queue;
    private ExecutorService thread;
    private CountDownLatch finished;
    private CountDownLatch abandon;
    private volatile boolean closing;
    private volatile boolean abandoned;
    private volatile int inDelivery;

    HttpDelivery(String name, int batchSize, int bufferSize, int maxRetries, Backoff backoff, long maxDelayMillis,
                 Duration drainTimeout, StopBudget budget, Function<List<Object>, HttpAttempt> poster, DeadLetter deadLetter,
                 ExecutorServiceManager executors) {
        this.name = name;
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
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

    /** Queues a message for delivery, waiting while the buffer is full; {@code meters} are those of its route. */
    void offer(Object message, SinkMeters meters) throws Exception {
        Queued queued = new Queued(message, meters);
        while (!closing && !budget.expired()) {
            if (queue.offer(queued, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        deadLetter.deadLetter(List.of(message), 0, null, new IllegalStateException("HTTP sink " + name + " is stopping"));
        deadLettered.incrementAndGet();
        meters.deadLettered();
    }

    /** Messages waiting or being delivered. */
    int pending() {
        BlockingQueue<Queued> q = queue;
        return (q == null ? 0 : q.size()) + inDelivery;
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
        queue = new ArrayBlockingQueue<>(bufferSize);
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
        if (!finished.await(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("HTTP sink {}: {} message(s) not delivered within {} ms (drainTimeout {}, capped by the stop"
                     + " budget); they go to the dead letter", name, pending(), drain.toMillis(), drainTimeout);
            abandoned = true;
            abandon.countDown();
            // no interrupt: it would close the dead-letter file's channel under the delivery thread; a post in
            // progress ends within responseTimeout
            if (!finished.await(Math.max(1000, budget.cap(drainTimeout).toMillis()), TimeUnit.MILLISECONDS)) {
                LOG.warn("HTTP sink {}: the delivery thread did not end", name);
            }
        }
        executors.shutdown(thread);
        List<Queued> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            WriteTally leftPerRoute = new WriteTally();
            left.forEach(queued -> leftPerRoute.add(queued.meters()));
            deadLetter.deadLetter(left.stream().map(Queued::message).toList(), 0, null,
                    new IllegalStateException("HTTP sink " + name + " stopped before delivering within drainTimeout"));
            deadLettered.addAndGet(left.size());
            leftPerRoute.deadLettered();
        }
    }

    private void deliverUntilClosed() {
        try {
            while (!abandoned && !budget.expired()) {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                polled.add(first);
                queue.drainTo(polled, batchSize - 1);
                inDelivery = polled.size();
                for (Queued queued : polled) {
                    batchMessages.add(queued.message());
                    batchPerRoute.add(queued.meters());
                }
                deliver(batchMessages);
                polled.clear();
                batchMessages.clear();
                batchPerRoute.clear();
                inDelivery = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
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
                delivered.addAndGet(batch.size());
                batchPerRoute.written(System.nanoTime() - start);
                if (attempts > 1) {
                    LOG.info("HTTP sink {}: delivered after {} attempts", name, attempts);
                }
                return;
            }
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
            return !abandon.await(Math.max(0, Math.min(millis, untilGiveUp)), TimeUnit.MILLISECONDS) && !budget.expired();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
